using System.Collections.Frozen;

namespace Pipeline.EntityLinking;

/// <summary>The word lists of the linker, kept as data files (Linking/Data/*.txt, embedded), not as code.</summary>
public static class WordLists
{
    /// <summary>Lower-case words and signs that may stand inside a name between capitalised words.</summary>
    public static FrozenSet<string> NameConnectors { get; } = Read("name-connectors.txt");

    /// <summary>Legal forms of companies as alias-index key words ("inc", "corp", "co", "ltd" ...).</summary>
    public static FrozenSet<string> LegalForms { get; } = Read("legal-forms.txt");

    /// <summary>Titles written before a person's name ("mr", "professor", "general" ...), lower case.</summary>
    public static FrozenSet<string> PersonTitles { get; } = Read("person-titles.txt");

    /// <summary>Function words, lower case: left out of the content words, and never an emerging entity's one-word name.</summary>
    public static FrozenSet<string> StopWords { get; } = Read("stop-words.txt");

    /// <summary>Reads an embedded list: one entry per line, '#' comments and blank lines skipped.</summary>
    public static FrozenSet<string> Read(string name) => ReadOrdered(name).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The entries of an embedded list in file order, without repeats.</summary>
    public static IReadOnlyList<string> ReadOrdered(string name)
    {
        using var stream = typeof(WordLists).Assembly.GetManifestResourceStream("Pipeline.EntityLinking.Data." + name)
            ?? throw new InvalidOperationException($"The word list {name} is not embedded in {typeof(WordLists).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var entry = line.Trim();
            if (entry.Length > 0 && !entry.StartsWith('#') && seen.Add(entry))
            {
                words.Add(entry);
            }
        }

        return words;
    }
}
