using System.Buffers;
using System.Globalization;
using System.Text;

namespace Pipeline.Search.Api;

/// <summary>
/// RFC 4180 CSV for spreadsheets: UTF-8 with a byte order mark (Excel reads accents only with it), a header row, CRLF
/// line ends, fields quoted when they hold a comma, a quote, CR or LF (quotes doubled). The texts are hostile news, so a
/// text cell that a spreadsheet would run as a formula (starting with = + - @ tab or CR, OWASP's rule) gets a leading
/// single quote; numbers and times are written by this class and never start so. Lists are joined with ';'.
/// </summary>
public sealed class CsvExportFormat : ExportFormat
{
    public const string ListSeparator = ";";

    static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");
    static readonly SearchValues<char> FormulaStart = SearchValues.Create("=+-@\t\r");

    readonly StringBuilder _line = new();
    readonly Encoder _encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
    IBufferWriter<byte>? _output;
    bool _rowStarted;

    public override string Name => "csv";

    public override string ContentType => "text/csv; charset=utf-8";

    public override void Start(IBufferWriter<byte> output, IReadOnlyList<string> columns)
    {
        _output = output;
        output.Write(Encoding.UTF8.Preamble);
        foreach (var column in columns)
        {
            Cell(column);
        }

        EndRow();
    }

    public override void Text(string? value) =>
        Cell(value is { Length: > 0 } && FormulaStart.Contains(value[0]) ? "'" + value : value);

    public override void Number(double? value) => Cell(value?.ToString(CultureInfo.InvariantCulture));

    public override void Integer(long? value) => Cell(value?.ToString(CultureInfo.InvariantCulture));

    public override void Flag(bool? value) => Cell(value switch { true => "true", false => "false", null => null });

    public override void Time(DateTimeOffset? value) => Cell(value?.UtcDateTime.ToString(IsoUtc, CultureInfo.InvariantCulture));

    public override void List(IReadOnlyList<string> values) => Text(string.Join(ListSeparator, values));

    public override void EndRow()
    {
        _line.Append("\r\n");
        var output = _output ?? throw new InvalidOperationException("Start the export before writing rows.");
        foreach (var chunk in _line.GetChunks())
        {
            _encoder.Convert(chunk.Span, output, flush: false, out _, out _);
        }

        _encoder.Convert([], output, flush: true, out _, out _);
        _line.Clear();
        _rowStarted = false;
    }

    void Cell(string? value)
    {
        if (_rowStarted)
        {
            _line.Append(',');
        }

        _rowStarted = true;
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().ContainsAny(NeedsQuotes))
        {
            _line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            _line.Append(value);
        }
    }
}
