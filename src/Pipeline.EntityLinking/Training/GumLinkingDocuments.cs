using Pipeline.EntityLinking.Evaluation;
using Pipeline.EntityLinking.KnowledgeBase;
using Pipeline.EntityLinking.Mentions;

namespace Pipeline.EntityLinking.Training;

/// <summary>
/// GUM documents as linking training data: every named mention (<see cref="GumCorpus"/>, nested ones included) is a gold label, with the QID
/// of its Wikipedia identity (through the KB's enwiki_title column), <c>&lt;NIL&gt;</c> when GUM gives it none, and
/// <c>&lt;NO_MAPPING&gt;</c> (ignored) when the title is not in the KB. GUM annotates every mention, so the documents are
/// exhaustive: a span that is no named mention is a negative example.
/// </summary>
public static class GumLinkingDocuments
{
    public static IEnumerable<TrainingDocument> Read(string gumDirectory, string split, IReadOnlyDictionary<string, string> qidByTitle)
    {
        foreach (var document in GumCorpus.ReadSplit(gumDirectory, split))
        {
            var labels = document.NestedNamedMentions
                .Select(m => new GoldLabel(m.Start, m.End, m.Identity is null ? GoldLabel.Nil : qidByTitle.GetValueOrDefault(Title(m.Identity), "<NO_MAPPING>"), "", Optional: false, Coref: false))
                .ToList();
            yield return new TrainingDocument("gum-" + split, new BenchmarkDocument(document.Name, document.Text, 0, document.Text.Length, labels), Exhaustive: true);
        }
    }

    /// <summary>A Wikipedia title as the KB writes it: unescaped, spaces for underscores, the first letter upper case.</summary>
    public static string Title(string identity)
    {
        var title = Uri.UnescapeDataString(identity).Replace('_', ' ').Trim();
        return title.Length == 0 ? title : char.ToUpperInvariant(title[0]) + title[1..];
    }

    /// <summary>The QID of every English Wikipedia title the KB files name (the first file's entity wins a shared title).</summary>
    public static Dictionary<string, string> QidsByTitle(string knowledgeBasePath)
    {
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in KnowledgeBaseLoader.Sources(knowledgeBasePath).Where(TsvKnowledgeBaseReader.IsEntityFile))
        {
            foreach (var record in TsvKnowledgeBaseReader.Read(source))
            {
                if (record.EnwikiTitle is { Length: > 0 } title)
                {
                    titles.TryAdd(Title(title), record.Qid);
                }
            }
        }

        return titles;
    }
}
