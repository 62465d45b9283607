namespace Pipeline.ClaimTagging.Offline;

/// <summary>One labelled sentence of a CheckThat! check-worthiness file.</summary>
public sealed record LabelledSentence(long Id, string Text, bool IsCheckWorthy);

/// <summary>
/// Reads the CheckThat! 2024 check-worthiness TSV layout (<c>Sentence_id, Text, class_label</c> with Yes/No).
/// Two quirks of the published train file are handled: quoted texts use doubled quotes, and one line holds two
/// records run together (<c>... No29286 &lt;TAB&gt; text &lt;TAB&gt; No</c>).
/// </summary>
public static class CheckWorthyDataset
{
    public static IReadOnlyList<LabelledSentence> Read(string path)
    {
        var sentences = new List<LabelledSentence>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1 && line.StartsWith("Sentence_id", StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split('\t');
            var id = fields[0];
            for (var i = 1; i + 1 < fields.Length; i += 2)
            {
                var (label, nextId) = SplitLabel(fields[i + 1], path, lineNumber);
                sentences.Add(new LabelledSentence(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), Unquote(fields[i]), label));
                id = nextId;
            }

            if (fields.Length % 2 == 0 || id.Length > 0)
            {
                throw new FormatException($"{path}:{lineNumber}: expected Sentence_id, Text and class_label separated by tabs.");
            }
        }

        return sentences;
    }

    static (bool Label, string NextId) SplitLabel(string field, string path, int lineNumber) =>
        field.StartsWith("Yes", StringComparison.OrdinalIgnoreCase) ? (true, field[3..].Trim())
        : field.StartsWith("No", StringComparison.OrdinalIgnoreCase) ? (false, field[2..].Trim())
        : throw new FormatException($"{path}:{lineNumber}: class_label '{field}' is neither Yes nor No.");

    static string Unquote(string text) =>
        text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : text;
}
