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
    readonly SentenceScoreCache? cache;

    /// <param name="refinerEmbedder">The second sentence model, required when the model has a <see cref="CheckWorthinessModel.Refiner"/>.</param>
    /// <param name="cacheEntries">Sentence scores kept for sentences seen again (0: none; ignored for a model that reads neighbours).</param>
    public OfflineClaimTagger(ISentenceEmbedder embedder, CheckWorthinessModel model, ISentenceEmbedder? refinerEmbedder = null, int cacheEntries = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cacheEntries);
        // A classifier scores only the vectors it was trained on: the int8 and float models' vectors differ.
        if (embedder.ModelId != model.EmbeddingModel)
        {
            throw new ArgumentException($"The check-worthiness model {model.Version} was trained on {model.EmbeddingModel} embeddings, not {embedder.ModelId}; run `pipeline train claims`.", nameof(model));
        }

        if (model.Refiner is { } refiner && refinerEmbedder?.ModelId != refiner.EmbeddingModel)
        {
            throw new ArgumentException($"The check-worthiness model {model.Version} refines with {refiner.EmbeddingModel} embeddings, not {refinerEmbedder?.ModelId ?? "none"}.", nameof(refinerEmbedder));
        }

        if (model.Screen is not null && model.UsesContext)
        {
            throw new ArgumentException($"The check-worthiness model {model.Version} has a screen and uses neighbour context: settled sentences would have no embedding for their neighbours.", nameof(model));
        }

        this.embedder = embedder;
        this.refinerEmbedder = model.Refiner is null ? null : refinerEmbedder;
        this.model = model;
        cache = cacheEntries > 0 && !model.UsesContext ? new SentenceScoreCache(ModelId, cacheEntries) : null;
    }

    public string Version => $"{TaggerName}-{model.Version}";

    public string ModelId => refinerEmbedder is null ? $"{embedder.ModelId}+{model.Version}" : $"{embedder.ModelId}+{refinerEmbedder.ModelId}+{model.Version}";

    public double Threshold => model.Threshold;

    public Task<ClaimsPayload> TagAsync(string text, CancellationToken cancellationToken) => Task.FromResult(Tag(text));

    public Task<IReadOnlyList<ClaimsPayload>> TagManyAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) => Task.FromResult(TagMany(texts));

    public ClaimsPayload Tag(string text) => TagMany([text])[0];

    /// <summary>
    /// Tags several texts with one pass of the sentence models over all their sentences: the embedder sorts them by
    /// length into batches, so sentences of many articles share batches of similar length (little padding).
    /// </summary>
    public IReadOnlyList<ClaimsPayload> TagMany(IReadOnlyList<string> texts)
    {
        var spans = texts.Select(text => Sentences.Split(text).ToList()).ToList();
        var sentences = new List<string>();
        var previous = new List<int>();
        var next = new List<int>();
        for (var d = 0; d < texts.Count; d++)
        {
            for (var j = 0; j < spans[d].Count; j++)
            {
                // Neighbours stay within their own text.
                previous.Add(j == 0 ? -1 : sentences.Count - 1);
                next.Add(j == spans[d].Count - 1 ? -1 : sentences.Count + 1);
                sentences.Add(texts[d][spans[d][j].Start..spans[d][j].End]);
            }
        }

        var probabilities = Score(sentences, previous, next);
        var provenance = new ClaimProvenance(TaggerName, ModelId);
        var payloads = new ClaimsPayload[texts.Count];
        var first = 0;
        for (var d = 0; d < texts.Count; d++)
        {
            var claims = new List<TaggedClaim>();
            for (var j = 0; j < spans[d].Count; j++)
            {
                if (CheckWorthinessOfClaim(sentences[first + j], probabilities[first + j]) is { } checkWorthiness)
                {
                    claims.Add(Describe(sentences[first + j], spans[d][j].Start, checkWorthiness, provenance));
                }
            }

            payloads[d] = new ClaimsPayload { Claims = claims, Tagger = $"{TaggerName}:{ModelId}" };
            first += spans[d].Count;
        }

        return payloads;
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
    public double[] Score(IReadOnlyList<string> sentences, IReadOnlyList<int> previous, IReadOnlyList<int> next) => Score(sentences, previous, next, useCache: true);

    double[] Score(IReadOnlyList<string> sentences, IReadOnlyList<int> previous, IReadOnlyList<int> next, bool useCache)
    {
        if (sentences.Count == 0)
        {
            return [];
        }

        if (useCache && cache is not null)
        {
            return ScoreThroughCache(sentences, previous, next, cache);
        }

        var screened = Screen(sentences);
        var open = Unsettled(screened);
        var vectors = open.Length == 0 ? [] : embedder.Embed([.. open.Select(i => sentences[i])]);
        var embeddings = new float[sentences.Count][];
        Array.Fill(embeddings, []);
        for (var k = 0; k < open.Length; k++)
        {
            embeddings[open[k]] = vectors[k];
        }

        return Score(sentences, embeddings, previous, next, screened);
    }

    /// <summary>Sentences seen before take their cached score; the others (each distinct one once) are scored.</summary>
    double[] ScoreThroughCache(IReadOnlyList<string> sentences, IReadOnlyList<int> previous, IReadOnlyList<int> next, SentenceScoreCache scores)
    {
        var probabilities = new double[sentences.Count];
        var keys = new UInt128[sentences.Count];
        var unseen = new Dictionary<UInt128, int>();
        var missing = new List<int>();
        for (var i = 0; i < sentences.Count; i++)
        {
            keys[i] = scores.KeyOf(sentences[i]);
            if (!scores.TryGet(keys[i], out probabilities[i]) && unseen.TryAdd(keys[i], missing.Count))
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            // The model reads no neighbours (a cache requires it), so the unseen sentences are scored on their own.
            var none = Enumerable.Repeat(-1, missing.Count).ToArray();
            var fresh = Score([.. missing.Select(i => sentences[i])], none, none, useCache: false);
            for (var k = 0; k < missing.Count; k++)
            {
                scores.Add(keys[missing[k]], fresh[k]);
            }

            for (var i = 0; i < sentences.Count; i++)
            {
                if (unseen.TryGetValue(keys[i], out var k))
                {
                    probabilities[i] = fresh[k];
                }
            }
        }

        return probabilities;
    }

    /// <summary>
    /// The screen's probability for each sentence it settles, NaN for each one the sentence models must score (all
    /// NaN when the model has no screen). Settled sentences need no embedding.
    /// </summary>
    public double[] Screen(IReadOnlyList<string> sentences)
    {
        var screened = new double[sentences.Count];
        for (var i = 0; i < screened.Length; i++)
        {
            screened[i] = model.Screen is { } screen && screen.Probability(sentences[i]) is var p && screen.Settles(p) ? p : double.NaN;
        }

        return screened;
    }

    /// <summary>Indices of the sentences the screen left to the sentence models.</summary>
    public static int[] Unsettled(IReadOnlyList<double> screened) => [.. Enumerable.Range(0, screened.Count).Where(i => double.IsNaN(screened[i]))];

    /// <summary>
    /// As above, for sentences already embedded with this tagger's (first) embedder. With <paramref name="screened"/>
    /// (from <see cref="Screen"/>), only the unsettled sentences need an embedding (the others may have an empty one).
    /// </summary>
    public double[] Score(IReadOnlyList<string> sentences, float[][] embeddings, IReadOnlyList<int> previous, IReadOnlyList<int> next, IReadOnlyList<double>? screened = null)
    {
        var open = screened is null ? Enumerable.Range(0, sentences.Count).ToArray() : Unsettled(screened);
        var probabilities = screened is null ? new double[sentences.Count] : [.. screened];
        var features = SentenceFeatures.Build(sentences, embeddings, model.UsesContext, previous, next, model.NGramBuckets, only: open);
        for (var k = 0; k < open.Length; k++)
        {
            probabilities[open[k]] = model.Probability(features[k]);
        }

        if (model.Refiner is { } refiner && refinerEmbedder is not null)
        {
            var uncertain = open.Where(i => refiner.Refines(probabilities[i])).ToArray();
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

    /// <summary>The sentence-score cache (null: none).</summary>
    public SentenceScoreCache? Cache => cache;

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
