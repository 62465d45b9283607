using System.CommandLine;
using Pipeline.EntityLinking.Mentions;
using Pipeline.Processes;

namespace Pipeline.Cli.EntityLinking;

/// <summary>The --data and --split options of the verbs that score on GUM, and where the corpus is.</summary>
public static class GumData
{
    public static Option<DirectoryInfo?> DataOption() => new("--data") { Description = "The GUM folder with conllu/ and splits.md (default: ../shared/data/ner/gum)." };

    public static Option<string> SplitOption(string defaultSplit)
    {
        var split = new Option<string>("--split") { Description = "The split to score.", DefaultValueFactory = _ => defaultSplit };
        split.AcceptOnlyFromAmong([.. GumCorpus.SplitNames]);
        return split;
    }

    /// <summary>The GUM folder given or the shared one, or null after writing why it cannot be used.</summary>
    public static string? Directory(ParseResult parse, Option<DirectoryInfo?> data, TextWriter errors)
    {
        var directory = parse.GetValue(data)?.FullName ?? Path.Combine(RepositoryLayout.SharedData, "ner", "gum");
        if (!File.Exists(Path.Combine(directory, "splits.md")))
        {
            errors.WriteLine($"error: {directory} has no splits.md (the shared data folder is expected next to the checkout).");
            return null;
        }

        return directory;
    }
}
