using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Ingestion.Articles;

/// <summary>
/// Publication dates as clients and feeds write them: ISO 8601 with or without an offset (none means UTC, never the
/// server's local zone), RFC 1123 ("Tue, 30 Jan 2024 10:00:00 GMT"), or a bare date. Anything else is a 400 naming
/// the field.
/// </summary>
public sealed class PublishedDateConverter : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("published must be a date string.");
        }

        var text = reader.GetString()!;
        return TryParse(text, out var date) ? date : throw new JsonException($"published must be an ISO 8601 or RFC 1123 date, got '{(text.Length > 40 ? text[..40] : text)}'.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } date)
        {
            writer.WriteStringValue(date.ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    public static bool TryParse(string text, out DateTimeOffset date) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out date);
}
