using System.Text;

namespace Pipeline.Cli.Import;

/// <summary>
/// RFC 4180 rows from a reader: quoted fields may hold commas, doubled quotes and line breaks; a byte-order mark is
/// dropped. Streams: one row in memory at a time. Each row comes with the line it starts on.
/// </summary>
public static class CsvRows
{
    public static IEnumerable<(int Line, List<string> Fields)> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var rowStart = 1;
        var quoted = false;
        var any = false;
        int next;
        while ((next = reader.Read()) >= 0)
        {
            var c = (char)next;
            if (c == '\uFEFF' && line == 1 && !any)
            {
                continue;
            }

            any = true;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return (rowStart, fields);
                    fields = [];
                    line++;
                    rowStart = line;
                    any = false;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (any || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return (rowStart, fields);
        }
    }
}
