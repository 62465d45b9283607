using Pipeline.Contracts;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// Links the named entities of a text to the knowledge base. It only orchestrates: <see cref="MentionDetector"/> finds
/// the mention regions (the trained tagger's names, and capitalised runs the KB may know), <see cref="CandidateGenerator"/>
/// the spans inside them that name KB entities, <see cref="Disambiguator"/> scores every candidate with the trained
/// ranker in two passes (with <see cref="CoreferenceResolver"/> in between), and each region keeps its best
/// non-overlapping spans over the threshold; a tagged name with none is reported as NIL, or, with
/// <see cref="EmergingEntities"/> and a confident tagger, as an emerging entity with a <c>nil:</c> id.
/// </summary>
public sealed class EntityLinker
{
    readonly EntityKnowledgeBase _kb;
    readonly LinkModel? _model;
    readonly MentionDetector _detector;
    readonly CandidateGenerator _candidates;
    readonly Disambiguator _disambiguator;
    readonly float _threshold;
    readonly EmergingEntities? _emerging;

    /// <param name="model">The trained ranker; null only for a linker that prepares training documents.</param>
    /// <param name="emerging">Which unlinked names get a <c>nil:</c> id; null: none (every unlinked name is NIL).</param>
    public EntityLinker(EntityKnowledgeBase kb, LinkerSettings settings, LinkModel? model, IMentionTagger? tagger, EmergingEntities? emerging = null)
    {
        _kb = kb;
        _model = model;
        _detector = new MentionDetector(tagger, kb);
        _candidates = new CandidateGenerator(kb, settings);
        _disambiguator = new Disambiguator(kb, settings, new ContextFeatures(kb), new CoreferenceResolver(kb, settings));
        _threshold = (float)(settings.MinConfidence ?? model?.Threshold ?? 0.5);
        Tagged = tagger is not null;
        _emerging = emerging;
    }

    public string Name => Tagged ? "wikidata-kb+ner+ranker" : "wikidata-kb+ranker";

    bool Tagged { get; }

    public EntityKnowledgeBase KnowledgeBase => _kb;

    public Disambiguator Disambiguator => _disambiguator;

    public float Threshold => _threshold;

    /// <summary>Detection and candidate generation only: what training extracts features from.</summary>
    public LinkingState Prepare(string text)
    {
        var document = new LinkingDocument(text);
        var regions = _detector.Detect(document);
        foreach (var region in regions)
        {
            _candidates.Generate(document, region);
        }

        return new LinkingState(document, ContextFeatures.Read(text), regions);
    }

    /// <summary>Prepares and scores a document with the model: every span's candidates have their probabilities.</summary>
    public LinkingState Analyze(string text) => Analyze(text, _model ?? throw new InvalidOperationException("This linker has no trained model: it can only prepare documents for training."));

    public LinkingState Analyze(string text, LinkModel model)
    {
        var state = Prepare(text);
        _disambiguator.FirstPass(state, model.ScoreFirstPass);
        _disambiguator.SecondPass(state, model.ScoreSecondPass);
        return state;
    }

    public EntitiesPayload Link(string text) => LinkWithCandidates(text).Payload;

    /// <summary>The links, and for each mention the QIDs of the candidates it was chosen among (for candidate recall).</summary>
    public (EntitiesPayload Payload, IReadOnlyList<string[]> Candidates) LinkWithCandidates(string text) => Payload(Analyze(text), _threshold);

    /// <summary>
    /// The payload of an analysed document at a threshold: each region's chosen spans, or the tagged name as NIL (or
    /// emerging). <paramref name="emerging"/> decides the emerging ids in place of the linker's own (null: the linker's).
    /// </summary>
    public (EntitiesPayload Payload, IReadOnlyList<string[]> Candidates) Payload(LinkingState state, float threshold, EmergingEntities? emerging = null)
    {
        emerging ??= _emerging;
        var document = state.Document;
        var mentions = new List<EntityMention>();
        var candidates = new List<string[]>();
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unlinked = new List<(int Mention, UnlinkedName Name)>();
        foreach (var region in state.Regions)
        {
            var chosen = Disambiguator.Decode(region, threshold);
            if (chosen.Count == 0)
            {
                if (!region.FromTagger)
                {
                    continue;
                }

                var whole = region.Spans.First(s => s.FirstToken == region.FirstToken && s.LastToken == region.LastToken);
                if (emerging is not null)
                {
                    unlinked.Add((mentions.Count, new UnlinkedName(region.FirstToken, region.LastToken, region.TaggedType, region.TaggedScore)));
                }

                mentions.Add(Mention(document, whole, linked: false, region.TaggedType));
                candidates.Add(Qids(whole));
                continue;
            }

            foreach (var span in chosen)
            {
                var entity = span.Candidates[span.Best].Entity;
                mentions.Add(Mention(document, span, linked: true, _kb.Types[entity] != EntityType.Unknown ? _kb.Types[entity] : region.TaggedType));
                candidates.Add(Qids(span));
                if (seen.Add(_kb.Qids[entity]))
                {
                    ids.Add(_kb.Qids[entity]);
                }
            }
        }

        if (emerging is not null)
        {
            var identified = emerging.Identify(document, [.. unlinked.Select(u => u.Name)]);
            for (var i = 0; i < unlinked.Count; i++)
            {
                if (identified[i] is { } entity)
                {
                    // Confidence is then the tagger's that this is a name, not the linker's that no KB entity fits.
                    mentions[unlinked[i].Mention] = mentions[unlinked[i].Mention] with
                    {
                        Qid = entity.Id,
                        InKb = false,
                        Label = entity.Label,
                        Type = entity.Type.ToLabel(),
                        Confidence = Math.Round(entity.Confidence, 3),
                    };
                    if (seen.Add(entity.Id))
                    {
                        ids.Add(entity.Id);
                    }
                }
            }
        }

        return (new EntitiesPayload { Mentions = mentions, EntityIds = ids, Linker = Name }, candidates);
    }

    string[] Qids(CandidateSpan span) => [.. span.Candidates.Select(c => _kb.Qids[c.Entity])];

    EntityMention Mention(LinkingDocument document, CandidateSpan span, bool linked, EntityType type)
    {
        var (start, end) = (document.Tokens[span.FirstToken].Start, document.Tokens[span.LastToken].End);
        var entity = linked ? span.Candidates[span.Best].Entity : -1;
        return new EntityMention
        {
            Text = document.Text[start..end],
            Start = start,
            End = end,
            Type = type.ToLabel(),
            Qid = linked ? _kb.Qids[entity] : null,
            InKb = linked ? true : null,
            Label = linked ? _kb.Labels[entity] : null,
            Description = linked && _kb.Descriptions[entity].Length > 0 ? _kb.Descriptions[entity] : null,
            Confidence = Math.Round(linked ? span.BestProbability : 1 - span.BestProbability, 3),
            CandidateCount = span.Candidates.Count,
        };
    }
}
