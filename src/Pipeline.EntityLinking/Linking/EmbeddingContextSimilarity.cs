using System.Collections.Concurrent;
using Pipeline.Embeddings;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// Context similarity from sentence embeddings (all-MiniLM-L6-v2): the cosine between the sentence around the
/// mention and "label: description" of the entity, averaged with the lexical overlap (which catches exact names the
/// embedding blurs). The linker only asks for it when a mention has more than one candidate. Entity vectors are
/// cached across documents, context vectors per document.
/// </summary>
public sealed class EmbeddingContextSimilarity(ISentenceEmbedder embedder, int maxCachedEntities = 100_000) : IContextSimilarity
{
    readonly ConcurrentDictionary<string, float[]> _entities = new(StringComparer.Ordinal);
    readonly LexicalContextSimilarity _lexical = new();

    float[] EmbedOne(string sentence) => embedder.Embed([sentence])[0];

    public string Name => "minilm";

    public IDocumentContext ForDocument(string text) => new Document(this, text, _lexical.ForDocument(text));

    float[] Entity(string label, string description)
    {
        var key = description.Length == 0 ? label : label + ": " + description;
        if (_entities.TryGetValue(key, out var vector))
        {
            return vector;
        }

        if (_entities.Count >= maxCachedEntities)
        {
            _entities.Clear(); // crude bound: news keeps re-using a small set of entities, which refills fast
        }

        return _entities.GetOrAdd(key, EmbedOne);
    }

    sealed class Document(EmbeddingContextSimilarity owner, string text, IDocumentContext lexical) : IDocumentContext
    {
        const int MaxContextChars = 400;
        readonly Dictionary<(int, int), float[]> _contexts = [];

        public double Similarity(int start, int end, string label, string description)
        {
            var (from, to) = Sentence(start, end);
            if (!_contexts.TryGetValue((from, to), out var context))
            {
                context = owner.EmbedOne(text[from..to]);
                _contexts[(from, to)] = context;
            }

            var entity = owner.Entity(label, description);
            var cosine = 0.0;
            for (var i = 0; i < context.Length; i++)
            {
                cosine += context[i] * entity[i];
            }

            // MiniLM cosines of related sentence/entity pairs sit around 0.2-0.6; map that range onto [0, 1].
            var semantic = Math.Clamp((cosine - 0.1) / 0.5, 0, 1);
            return (semantic + lexical.Similarity(start, end, label, description)) / 2;
        }

        (int From, int To) Sentence(int start, int end)
        {
            var from = start;
            while (from > 0 && start - from < MaxContextChars / 2 && !IsBoundary(text[from - 1]))
            {
                from--;
            }

            var to = end;
            while (to < text.Length && to - end < MaxContextChars / 2 && !IsBoundary(text[to]))
            {
                to++;
            }

            return (from, Math.Min(text.Length, to + 1));
        }

        static bool IsBoundary(char c) => c is '\n' or '.' or '!' or '?';
    }
}
