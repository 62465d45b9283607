using Pipeline.ClaimTagging.Tagging;
using Pipeline.Contracts;
using Pipeline.Embeddings;

namespace Pipeline.ClaimTagging.Offline;

/// <summary>
/// The tagger that needs no service: sentences, a check-worthiness classifier over MiniLM embeddings with neighbour
/// context and lexical cues, refined for uncertain sentences with a second sentence model
/// (<see cref="CheckWorthinessModel"/>), and <see cref="ClaimRules"/> for bylines, reported speech, type, attribution
/// and evidence level. Thread-safe.
/// </summary>
public sealed class OfflineClaimTagger : IClaimTagger
{
    public const string TaggerName = "offline";

    readonly ISentenceEmbedder embedder;
    readonly ISentenceEmbedder? refinerEmbedder;
    readonly CheckWorthinessModel model;

    /// <param name="refinerEmbedder">The second sentence model, required when the model has a <see cref="CheckWorthinessModel.Refiner"/>.</param>
    public OfflineClaimTagger(ISentenceEmbedder embedder, CheckWorthinessModel model, ISentenceEmbedder? refinerEmbedder = null)
    {
        // A classifier scores only the vectors it was trained on: the int8 and float models' vectors differ.
        if (embedder.ModelId != model.EmbeddingModel)
        {
            throw new ArgumentException($"The check-worthiness model {model.Version} was trained on {model.EmbeddingModel} embeddings, not {embedder.ModelId}; run `pipeline train claims`.", nameof(model));
        }

        if (model.Refiner is { } refiner && refinerEmbedder?.ModelId != refiner.EmbeddingModel)
        {
            throw new ArgumentException($"The check-worthiness model {model.Version} refines with {refiner.EmbeddingModel} embeddings, not {refinerEmbedder?.ModelId ?? "none"}.", nameof(refinerEmbedder));
        }

        this.embedder = embedder;
        this.refinerEmbedder = model.Refiner is null ? null : refinerEmbedder;
        this.model = model;
    }

    public string Version => $"{TaggerName}-{model.Version}";

    public string ModelId => refinerEmbedder is null ? $"{embedder.ModelId}+{model.Version}" : $"{embedder.ModelId}+{refinerEmbedder.ModelId}+{model.Version}";

    public double Threshold => model.Threshold;

    public Task<ClaimsPayload> TagAsync(string text, CancellationToken cancellationToken) => Task.FromResult(Tag(text));

    public ClaimsPayload Tag(string text)
    {
        var spans = Sentences.Split(text).ToList();
        var sentences = spans.Select(s => text[s.Start..s.End]).ToList();
        var (previous, next) = SentenceFeatures.Consecutive(sentences.Count);
        var probabilities = Score(sentences, previous, next);
        var provenance = new ClaimProvenance(TaggerName, ModelId);
        var claims = new List<TaggedClaim>();
        for (var i = 0; i < spans.Count; i++)
        {
            if (CheckWorthinessOfClaim(sentences[i], probabilities[i]) is { } checkWorthiness)
            {
                claims.Add(Describe(sentences[i], spans[i].Start, checkWorthiness, provenance));
            }
        }

        return new ClaimsPayload { Claims = claims, Tagger = $"{TaggerName}:{ModelId}" };
    }

    /// <summary>
    /// The check-worthiness of a sentence the tagger reports as a claim, or null when it is none: the classifier's
    /// probability against its threshold, with rules on top. A byline's names and date look like a checkable
    /// statement to the classifier; it is none, nor is a source's "did not respond to a request for comment". Reported speech is rare in the debates the classifier learnt from, so
    /// a cued statement attributed to a source counts (at the threshold) when the classifier misses it.
    /// </summary>
    public double? CheckWorthinessOfClaim(string sentence, double probability) =>
        ClaimRules.IsByline(sentence) || ClaimRules.IsNoComment(sentence) ? null
        : probability >= model.Threshold ? probability
        : ClaimRules.IsReportedClaim(sentence) ? model.Threshold
        : null;

    /// <summary>Check-worthiness probabilities of sentences, given each one's neighbours (index or -1).</summary>
    public double[] Score(IReadOnlyList<string> sentences, IReadOnlyList<int> previous, IReadOnlyList<int> next)
    {
        if (sentences.Count == 0)
        {
            return [];
        }

        return Score(sentences, embedder.Embed(sentences), previous, next);
    }

    /// <summary>As above, for sentences already embedded with this tagger's (first) embedder.</summary>
    public double[] Score(IReadOnlyList<string> sentences, float[][] embeddings, IReadOnlyList<int> previous, IReadOnlyList<int> next)
    {
        var features = SentenceFeatures.Build(sentences, embeddings, model.UsesContext, previous, next, model.NGramBuckets);
        var probabilities = features.Select(f => model.Probability(f)).ToArray();
        if (model.Refiner is { } refiner && refinerEmbedder is not null)
        {
            var uncertain = Enumerable.Range(0, probabilities.Length).Where(i => refiner.Refines(probabilities[i])).ToArray();
            if (uncertain.Length > 0)
            {
                var second = refinerEmbedder.Embed([.. uncertain.Select(i => sentences[i])]);
                var refined = SentenceFeatures.Build(sentences, embeddings, model.UsesContext, previous, next, model.NGramBuckets, second, uncertain);
                for (var k = 0; k < uncertain.Length; k++)
                {
                    probabilities[uncertain[k]] = refiner.Probability(refined[k]);
                }
            }
        }

        return probabilities;
    }

    /// <summary>The embedder, for callers that embed in chunks (progress reporting) before scoring.</summary>
    public ISentenceEmbedder Embedder => embedder;

    /// <summary>The second stage's embedder (null when the model has no refiner).</summary>
    public ISentenceEmbedder? RefinerEmbedder => refinerEmbedder;

    /// <summary>A claim for a check-worthy sentence, with the rules' type, attribution and evidence level.</summary>
    public static TaggedClaim Describe(string sentence, int start, double checkWorthiness, ClaimProvenance provenance)
    {
        var (type, cued) = ClaimRules.TypeOf(sentence);
        var attribution = ClaimRules.AttributionOf(sentence);
        return new TaggedClaim
        {
            Text = sentence,
            Start = start,
            End = start + sentence.Length,
            Type = type,
            CheckWorthiness = Math.Round(checkWorthiness, 3),
            Attribution = attribution,
            EvidenceLevel = ClaimRules.EvidenceLevelOf(sentence, attribution),
            // The classifier's certainty, lowered when no rule recognised the type (the "event" default).
            Confidence = Math.Round(Math.Max(checkWorthiness, 1 - checkWorthiness) * (cued ? 0.9 : 0.7), 3),
            Provenance = provenance,
        };
    }
}
