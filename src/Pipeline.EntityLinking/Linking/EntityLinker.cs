using System.Collections.Frozen;
using System.Text;
using Pipeline.Contracts;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>
/// Links named-entity mentions in a text to the knowledge base. Stages: (1) mention detection: longest alias match
/// over capitalised token runs, company suffixes, acronyms in parentheses, and capitalised spans the KB does not
/// know (NIL mentions); (2) disambiguation of each alias match by prior, type compatibility, context similarity and,
/// in a second pass, coherence with the document's confident links; (3) in-document coreference: a short form
/// ("Xi", "Biden", "NSA") takes the entity of the full name it abbreviates, and one surface form keeps one sense.
/// Links below <see cref="LinkerSettings.MinConfidence"/> are reported as NIL.
/// </summary>
public sealed class EntityLinker(EntityKnowledgeBase kb, LinkerSettings settings, IContextSimilarity similarity)
{
    static readonly FrozenSet<string> Connectors = new[]
    {
        "of", "the", "and", "for", "de", "du", "da", "del", "della", "la", "le", "von", "van", "der", "den", "al", "bin", "y", "on", "&", "-", "'", ".",
    }.ToFrozenSet(StringComparer.Ordinal);

    static readonly FrozenSet<string> CompanySuffixes = new[]
    {
        "Corp", "Corporation", "Inc", "Co", "Cos", "Ltd", "Plc", "PLC", "plc", "LLC", "AG", "SA", "NV", "GmbH", "Bhd", "Limited", "Incorporated", "Holdings",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Capitalised words that are not names on their own: sentence starters, calendar words, titles.
    static readonly FrozenSet<string> NotNames = new[]
    {
        "the", "a", "an", "in", "on", "at", "but", "and", "or", "it", "he", "she", "they", "we", "i", "you", "this", "that", "these", "those",
        "his", "her", "their", "our", "its", "as", "for", "if", "when", "while", "after", "before", "so", "yet", "there", "here", "what",
        "who", "why", "how", "where", "which", "some", "many", "most", "all", "no", "not", "one", "two", "three", "with", "from", "by",
        "to", "of", "is", "was", "are", "were", "has", "had", "have", "will", "would", "can", "could", "should", "may", "might", "also",
        "however", "meanwhile", "later", "earlier", "again", "instead", "indeed", "still", "even", "then", "now", "today", "yesterday", "tomorrow", "last", "next", "more",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "june",
        "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
        "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "mr", "mrs", "ms", "dr", "president", "minister", "senator",
        "sen", "rep", "gov", "governor", "secretary", "chairman", "prime", "chief", "officials", "official", "since",
        "under", "about", "against", "according", "during", "despite", "although", "because", "said", "says", "do", "does", "did", "my",
        "your", "both", "each", "such", "other", "another", "any", "every", "only", "just", "than", "well", "though", "thus", "once",
        "ago", "yes", "oh", "okay", "ok", "please", "thank", "thanks", "let", "like", "unlike", "via", "per", "into", "over", "up", "out",
        "while", "whether", "whose", "whom", "be", "been", "being", "am", "me", "him", "them", "us", "let's", "don't", "it's",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Capitalised words of titles that stand between names without being part of them ("Foreign Minister").
    static readonly FrozenSet<string> TitleWords = new[]
    {
        "foreign", "defense", "defence", "finance", "prime", "deputy", "vice", "executive", "senior", "former", "acting", "supreme",
        "interior", "trade", "economy", "justice", "health", "energy", "education", "labor", "labour", "treasury", "house", "speaker",
        "majority", "minority", "national", "security", "assistant", "special", "envoy", "u.s", "party", "press", "managing",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Words right before a name that say it is a person.
    static readonly FrozenSet<string> PersonCues = new[]
    {
        "mr", "mrs", "ms", "dr", "president", "minister", "senator", "sen", "rep", "gov", "governor", "secretary", "chairman", "ceo",
        "advisor", "adviser", "spokesman", "spokeswoman", "judge", "king", "queen", "prince", "princess", "pope", "general", "gen",
        "director", "chancellor", "premier", "mayor", "leader", "attorney", "candidate", "representative", "ambassador", "coach",
        "actor", "actress", "singer", "analyst", "economist", "professor", "chief", "commissioner", "lawmaker", "officer", "sir",
    }.ToFrozenSet(StringComparer.Ordinal);

    const int MaxTextTokensPerAlias = 3 * EntityKnowledgeBase.MaxTokensPerAlias;

    public string Name => "wikidata-kb+" + similarity.Name;

    public EntityKnowledgeBase KnowledgeBase => kb;

    public EntitiesPayload Link(string text) => LinkWithCandidates(text).Payload;

    /// <summary>The links, and for each mention the QIDs of the candidates it was chosen among (for candidate recall).</summary>
    public (EntitiesPayload Payload, IReadOnlyList<string[]> Candidates) LinkWithCandidates(string text)
    {
        var document = new Document(text);
        var spans = DetectMentions(document);
        var context = similarity.ForDocument(text);

        // Pass 1 without coherence; confident links become the anchors of pass 2.
        foreach (var span in spans)
        {
            Disambiguate(document, span, context, anchors: null);
        }

        var anchors = spans.Where(s => s.Entity >= 0 && s.Confidence >= 0.8).Select(s => s.Entity).Distinct().ToArray();
        if (anchors.Length > 0 && settings.CoherenceWeight > 0)
        {
            foreach (var span in spans)
            {
                Disambiguate(document, span, context, anchors);
            }
        }

        ResolveCoreference(document, spans);
        UnlinkSportsMetonymy(document, spans);
        return Payload(text, spans);
    }

    static readonly FrozenSet<string> SportsWords = new[]
    {
        "game", "games", "season", "coach", "inning", "innings", "quarterback", "touchdown", "touchdowns", "playoff", "playoffs",
        "league", "striker", "midfielder", "pitcher", "tournament", "championship", "scored", "goals", "homer", "rushing",
        "nfl", "nba", "mlb", "nhl", "fifa", "uefa", "olympics", "wicket", "wickets", "semifinal", "semifinals", "quarterfinal",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Links of a place to its team are rule-made; this puts them above MinConfidence but below confident links.
    const double TeamConfidence = 0.7;

    readonly Lazy<SportsTeams> _teams = new(() => new SportsTeams(kb));

    static readonly FrozenSet<string> Locatives = new[]
    {
        "in", "at", "from", "near", "outside", "across", "into", "to", "of", "around", "throughout", "toward", "towards",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// In a sentence about a game ("Boston beat New York 5-3", "England's quarterfinal"), a bare place name stands for
    /// its team, which the place is not: such links become NIL (a wrong link is worse than none). A place after a
    /// locative preposition ("in London") stays the place.
    /// </summary>
    void UnlinkSportsMetonymy(Document doc, List<MentionSpan> spans)
    {
        foreach (var span in spans)
        {
            // Capitals are a dateline ("MIAMI (AP) -") or a code ("UK"), not a team.
            if (span.Entity < 0 || kb.Types[span.Entity] != EntityType.Loc || doc.IsUpper(span.FirstToken) || (span.FirstToken > 0 && Locatives.Contains(doc.Normalized(span.FirstToken - 1))))
            {
                continue;
            }

            // The second place of "Seattle, Washington" says where the first is.
            if (span.FirstToken >= 2 && doc.TokenText(span.FirstToken - 1) == "," &&
                spans.Any(s => s.LastToken == span.FirstToken - 2 && s.Entity >= 0 && kb.Types[s.Entity] == EntityType.Loc))
            {
                continue;
            }

            // A role right after the place ("Cleveland manager", "England captain") makes it a team in any sentence.
            var next = span.LastToken + 1 < doc.Tokens.Count ? doc.Normalized(span.LastToken + 1) : "";
            var role = SportsTeams.IsRole(next) ? SportsTeams.CueOf(next) : Sport.None;
            if (role != Sport.None || doc.IsSportsSentence(span.FirstToken))
            {
                // The sport comes from the sentence's sport words ("bowled": cricket) and the role ("manager": baseball or
                // soccer); without either the place stays NIL rather than guessing among its teams.
                var named = doc.SentenceSports(span.FirstToken);
                var allowed = named == Sport.None ? role : role == Sport.None || (named & role) == Sport.None ? named : named & role;
                var key = allowed == Sport.None ? null : SurfaceForms.Key(doc.Text[span.Start..span.End]);
                span.Entity = key is null ? -1 : _teams.Value.TeamOf(key, allowed);
                span.Confidence = span.Entity >= 0 ? TeamConfidence : span.Confidence;
            }
        }
    }

    (EntitiesPayload, IReadOnlyList<string[]>) Payload(string text, List<MentionSpan> spans)
    {
        var mentions = new List<EntityMention>(spans.Count);
        var candidates = new List<string[]>(spans.Count);
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var span in spans.OrderBy(s => s.Start))
        {
            var linked = span.Entity >= 0 && span.Confidence >= settings.MinConfidence;
            if (span.Doubtful && !linked)
            {
                continue;
            }
            var type = linked && kb.Types[span.Entity] != EntityType.Unknown ? kb.Types[span.Entity] : span.GuessedType;
            mentions.Add(new EntityMention
            {
                Text = text[span.Start..span.End],
                Start = span.Start,
                End = span.End,
                Type = type.ToLabel(),
                Qid = linked ? kb.Qids[span.Entity] : null,
                Label = linked ? kb.Labels[span.Entity] : null,
                Description = linked && kb.Descriptions[span.Entity].Length > 0 ? kb.Descriptions[span.Entity] : null,
                Confidence = Math.Round(linked ? span.Confidence : Math.Min(span.Confidence, 1 - span.Confidence), 3),
                CandidateCount = span.Candidates.Length,
            });
            candidates.Add([.. span.Candidates.Select(c => kb.Qids[c.Entity])]);
            if (linked && seen.Add(kb.Qids[span.Entity]))
            {
                ids.Add(kb.Qids[span.Entity]);
            }
        }

        return (new EntitiesPayload { Mentions = mentions, EntityIds = ids, Linker = Name }, candidates);
    }

    // ---- Mention detection ----

    List<MentionSpan> DetectMentions(Document doc)
    {
        var spans = new List<MentionSpan>();
        var tokens = doc.Tokens;
        var key = new StringBuilder(128);
        var i = 0;
        while (i < tokens.Count)
        {
            if (!doc.CanStartName(i))
            {
                i++;
                continue;
            }

            // A run of name-like tokens ("Huntsman Chemical Corp", "Chinese Foreign Minister Wang Yi"), then the
            // longest KB names inside it, left to right.
            var runEnd = i;
            while (runEnd + 1 < tokens.Count && doc.Adjacent(runEnd, runEnd + 1) && doc.CanContinueName(runEnd + 1))
            {
                runEnd++;
            }

            while (runEnd > i && !doc.CanEndName(runEnd))
            {
                runEnd--;
            }

            AddRun(doc, i, runEnd, spans, key);
            i = runEnd + 1;
        }

        AddAcronymsInParentheses(doc, spans);
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        foreach (var span in spans)
        {
            span.GuessedType = GuessType(doc, span);
        }

        return spans;
    }

    enum Piece : byte
    {
        Name,     // an unknown capitalised word: part of some name the KB lacks
        Neutral,  // a title, a demonym, a connector, a company suffix: not part of the matched name
        Matched,
    }

    void AddRun(Document doc, int first, int last, List<MentionSpan> spans, StringBuilder key)
    {
        var tokens = doc.Tokens;
        var pieces = new Piece[last - first + 1];
        var matches = new List<(int First, int Last, AliasCandidate[] Candidates)>();
        for (var t = first; t <= last;)
        {
            var word = doc.Normalized(t);
            if (!doc.CanStartName(t) || NotNames.Contains(word) || CompanySuffixes.Contains(doc.TokenText(t)))
            {
                pieces[t - first] = IsNeutral(doc, t) ? Piece.Neutral : Piece.Name;
                t++;
                continue;
            }

            var match = LongestAliasMatch(doc, t, last, key);
            if (match is null)
            {
                pieces[t - first] = IsNeutral(doc, t) ? Piece.Neutral : Piece.Name;
                t++;
                continue;
            }

            var (matchLast, candidates) = match.Value;
            if (candidates.Length == 0)
            {
                // A demonym ("Chinese", "Polish"): an adjective, neither a name of its own nor part of one.
                for (var m = t; m <= matchLast; m++)
                {
                    pieces[m - first] = Piece.Neutral;
                }
            }
            else
            {
                for (var m = t; m <= matchLast; m++)
                {
                    pieces[m - first] = Piece.Matched;
                }

                matches.Add((t, matchLast, candidates));
            }

            t = matchLast + 1;
        }

        var suffixAt = CompanySuffixes.Contains(doc.TokenText(last)) ? last : -1;
        var claimed = new bool[pieces.Length];
        foreach (var (mFirst, mLast, candidates) in matches)
        {
            var after = mLast + 1;
            var before = mFirst - 1;
            var nameAfter = after <= last && pieces[after - first] == Piece.Name;
            var nameBefore = before >= first && pieces[before - first] == Piece.Name;
            var end = mLast;
            var kept = candidates;
            // A legal form after a match that is not the whole name ("Brothers Inc" in "Shearson Lehman Brothers Inc",
            // "Troy Corp" in "Helen of Troy Corp") ends a company name the KB lacks.
            var legalFormEnd = LegalFormEnd(doc, mLast);
            if (legalFormEnd > mLast && !Enumerable.Range(first, mFirst - first).All(t => pieces[t - first] == Piece.Neutral && (t == first || !Connectors.Contains(doc.Normalized(t)))))
            {
                continue;
            }

            if (legalFormEnd > mLast)
            {
                // "Union Carbide Corp", "Apple Inc.", "Merck and Co Inc": the company's name and its legal form.
                kept = candidates.Where(c => kb.Types[c.Entity] is not (EntityType.Per or EntityType.Loc)).ToArray();
                end = legalFormEnd;
                nameAfter = false;
            }
            else if (suffixAt > mLast && !nameBefore && Enumerable.Range(after, suffixAt - after).All(t => pieces[t - first] != Piece.Matched))
            {
                // "Paxar Corp", "Huntsman Chemical Corp", "Morgan Stanley and Co Inc": a known company name, its line
                // of business and its legal form.
                kept = candidates.Where(c => kb.Types[c.Entity] is not (EntityType.Per or EntityType.Loc)).ToArray();
                end = suffixAt;
                nameAfter = false;
            }

            if (nameAfter && !nameBefore && kb.Types[kept[0].Entity] == EntityType.Org)
            {
                // "Microsoft Threat Intelligence", "Google Maps": a company's name leads the name of its part.
                nameAfter = false;
            }

            if (nameAfter || nameBefore || kept.Length == 0)
            {
                continue; // only part of a longer name the KB lacks ("Wall Street" in "Wall Street Journal")
            }

            for (var t = mFirst; t <= Math.Min(end, last); t++)
            {
                claimed[t - first] = true;
            }

            spans.Add(new MentionSpan(tokens[mFirst].Start, tokens[end].End, mFirst, end, kept) { HasLegalForm = end > mLast && legalFormEnd > mLast || CompanySuffixes.Contains(doc.TokenText(mLast)) });
        }

        // What is left of the run and is name-like becomes NIL mentions: the KB does not know these names.
        for (var t = first; t <= last; t++)
        {
            if (claimed[t - first] || pieces[t - first] == Piece.Neutral || !doc.IsCapitalisedWord(t) || NotNames.Contains(doc.Normalized(t)))
            {
                continue;
            }

            var end = t;
            while (end + 1 <= last && !claimed[end + 1 - first] && (pieces[end + 1 - first] != Piece.Neutral || Connectors.Contains(doc.Normalized(end + 1)) || CompanySuffixes.Contains(doc.TokenText(end + 1)) || doc.IsHyphenTail(end + 1)))
            {
                end++;
            }

            while (end > t && !doc.CanEndName(end))
            {
                end--;
            }

            var single = end == t;
            spans.Add(new MentionSpan(tokens[t].Start, tokens[end].End, t, end, []) { Doubtful = single && doc.SentenceStart(t) && !doc.IsUpper(t) && !doc.CapitalisedInsideSentence(t) });
            t = end;
        }
    }

    /// <summary>
    /// The last token of a legal form right after a name ("Corp", "Inc.", "and Co Inc", "Co., Ltd."), or
    /// <paramref name="nameLast"/> when none follows. The dot of an abbreviated form belongs to it, unless it is
    /// also the full stop ("... Avco Corp. Avco Financial ...").
    /// </summary>
    static int LegalFormEnd(Document doc, int nameLast)
    {
        var end = nameLast;
        var t = nameLast + 1;
        while (t < doc.Tokens.Count && doc.Adjacent(t - 1, t))
        {
            var text = doc.TokenText(t);
            if (CompanySuffixes.Contains(text))
            {
                end = t;
                t++;
            }
            else if (text == "." && end == t - 1 && CompanySuffixes.Contains(doc.TokenText(end)) && !doc.EndsSentence(t))
            {
                end = t;
                t++;
            }
            else if (text is "," or "and" or "&" && t + 1 < doc.Tokens.Count && doc.Adjacent(t, t + 1) && CompanySuffixes.Contains(doc.TokenText(t + 1)) &&
                (text == "," || doc.TokenText(t + 1) is "Co" or "Cos"))
            {
                t++;
            }
            else
            {
                break;
            }
        }

        return end;
    }

    /// <summary>
    /// Not part of a name: punctuation, numbers, lower-case words, connectors, titles, legal forms, sentence openers, and
    /// a sentence-initial word shaped like a gerund or adverb that the KB does not know ("Excluding Brazil").
    /// </summary>
    static bool IsNeutral(Document doc, int t)
    {
        var word = doc.Normalized(t);
        return !doc.IsWord(t) || char.IsDigit(doc.Text[doc.Tokens[t].Start]) || char.IsLower(doc.Text[doc.Tokens[t].Start]) || Connectors.Contains(word) || PersonCues.Contains(word) || TitleWords.Contains(word) ||
            CompanySuffixes.Contains(doc.TokenText(t)) || (NotNames.Contains(word) && !doc.IsUpper(t)) ||
            (word.Length > 5 && (word.EndsWith("ing", StringComparison.Ordinal) || word.EndsWith("ly", StringComparison.Ordinal)) && doc.SentenceStart(t) && !doc.CapitalisedInsideSentence(t));
    }

    (int Last, AliasCandidate[] Candidates)? LongestAliasMatch(Document doc, int first, int runLast, StringBuilder key)
    {
        var tokens = doc.Tokens;
        // Dots and hyphens are text tokens but not key tokens ("U.S." is one key token): bound both counts.
        runLast = Math.Min(runLast, first + MaxTextTokensPerAlias - 1);
        Span<int> lengths = stackalloc int[MaxTextTokensPerAlias];
        key.Clear();
        var state = default(SurfaceForms.KeyState);
        var keyTokens = 0;
        for (var t = first; t <= runLast; t++)
        {
            var before = key.Length;
            SurfaceForms.AppendKeyToken(key, doc.Normalized(t), ref state);
            if (key.Length > before && (before == 0 || key[before] == ' ') && ++keyTokens > kb.MaxAliasTokens)
            {
                runLast = t - 1;
                break;
            }

            lengths[t - first] = key.Length;
        }

        var keyText = key.ToString();
        for (var last = runLast; last >= first; last--)
        {
            if (!doc.CanEndName(last))
            {
                continue;
            }

            var candidates = kb.Candidates(keyText.AsSpan(0, lengths[last - first]));
            if (candidates.IsEmpty)
            {
                continue;
            }

            var surface = doc.Text.AsSpan(tokens[first].Start, tokens[last].End - tokens[first].Start);
            var surfaceUpper = SurfaceForms.IsUpperCase(surface);
            var demonym = last == first && IsDemonymShape(surface);
            var kept = new List<AliasCandidate>(Math.Min(candidates.Length, settings.MaxCandidates));
            var asDemonym = 0;
            foreach (var candidate in candidates)
            {
                // "US" in the KB is not "us" in the text; an acronym must be written as one.
                if ((candidate.Flags & AliasFlags.UpperCase) != 0 && !surfaceUpper)
                {
                    continue;
                }

                // "Chinese" is an alias of China in the KB, but an adjective in the text.
                if (demonym && (candidate.Flags & AliasFlags.Label) == 0 && kb.Types[candidate.Entity] == EntityType.Loc)
                {
                    asDemonym++;
                    continue;
                }

                kept.Add(candidate);
                if (kept.Count == settings.MaxCandidates)
                {
                    break;
                }
            }

            if (kept.Count == 0)
            {
                if (asDemonym > 0)
                {
                    return (last, []);
                }

                continue;
            }

            // A lone sentence-initial word ("Apple", "General") is too often just a word.
            if (last == first && doc.SentenceStart(first) && !doc.IsUpper(first) && (kept[0].Flags & AliasFlags.Label) == 0 && !doc.CapitalisedInsideSentence(first) &&
                LegalFormEnd(doc, first) == first)
            {
                continue;
            }

            return (last, kept.ToArray());
        }

        return null;
    }

    static bool IsDemonymShape(ReadOnlySpan<char> word) =>
        word.Length > 3 && (word.EndsWith("ese") || word.EndsWith("ish") || word.EndsWith("ian") || word.EndsWith("ean") || word.EndsWith("can") ||
            word.EndsWith("ans") || word.EndsWith("ic") || word.EndsWith("ch") || word.EndsWith("an") || word.EndsWith("i") || word.EndsWith("ese"));

    static void AddAcronymsInParentheses(Document doc, List<MentionSpan> spans)
    {
        var tokens = doc.Tokens;
        var existing = spans.GroupBy(s => s.FirstToken).ToDictionary(g => g.Key, g => g.First());
        foreach (var span in spans.ToList())
        {
            var open = span.LastToken + 1;
            if (open + 2 < tokens.Count && doc.TokenText(open) == "(" && doc.TokenText(open + 2) == ")" && doc.IsUpper(open + 1))
            {
                if (existing.TryGetValue(open + 1, out var acronym))
                {
                    acronym.ExpansionOf = span;
                }
                else
                {
                    var added = new MentionSpan(tokens[open + 1].Start, tokens[open + 1].End, open + 1, open + 1, []) { ExpansionOf = span };
                    spans.Add(added);
                    existing[open + 1] = added;
                }
            }
        }
    }

    static EntityType GuessType(Document doc, MentionSpan span)
    {
        if (CompanySuffixes.Contains(doc.TokenText(span.LastToken)))
        {
            return EntityType.Org;
        }

        var before = span.FirstToken - 1;
        if (before >= 0 && doc.TokenText(before) == ".")
        {
            before--;
        }

        return before >= 0 && PersonCues.Contains(doc.Normalized(before)) ? EntityType.Per : EntityType.Misc;
    }

    // ---- Disambiguation ----

    void Disambiguate(Document doc, MentionSpan span, IDocumentContext context, int[]? anchors)
    {
        if (span.Candidates.Length == 0)
        {
            return;
        }

        var personCue = span.GuessedType == EntityType.Per;
        Span<double> scores = stackalloc double[span.Candidates.Length];
        var best = -1;
        for (var c = 0; c < span.Candidates.Length; c++)
        {
            var candidate = span.Candidates[c];
            var entity = candidate.Entity;
            var type = kb.Types[entity];
            var typeFit = type switch
            {
                EntityType.Unknown => 0.35,
                EntityType.Misc => 0.8,
                _ => 1.0,
            };
            if (personCue)
            {
                typeFit *= type == EntityType.Per ? 1.5 : 0.3;
            }

            if (span.GuessedType == EntityType.Org && type is not (EntityType.Org or EntityType.Unknown))
            {
                typeFit *= 0.4;
            }

            // A name with a legal form is the company, not a brand of the same name ("Rolls Royce Plc").
            if (span.HasLegalForm && kb.Descriptions[entity].StartsWith("brand", StringComparison.Ordinal))
            {
                typeFit *= 0.3;
            }

            // With one candidate the context cannot change the choice; skip the (possibly costly) similarity.
            var contextFit = span.Candidates.Length == 1 ? 0 : context.Similarity(span.Start, span.End, kb.Labels[entity], kb.Descriptions[entity]);
            var coherence = anchors is null ? 0 : Coherence(entity, anchors);
            scores[c] = settings.PriorWeight * Math.Log(Math.Max(candidate.Prior, 1e-4))
                + settings.TypeWeight * Math.Log(typeFit)
                + settings.ContextWeight * contextFit
                + settings.CoherenceWeight * coherence;
            if (best < 0 || scores[c] > scores[best])
            {
                best = c;
            }
        }

        // Confidence: the winner's share of the candidates' probability mass, discounted when the mention itself
        // is doubtful (part of a longer unknown name, an obscure entity, a type that names are rarely of).
        var total = 0.0;
        foreach (var s in scores)
        {
            total += Math.Exp(s - scores[best]);
        }

        var winner = span.Candidates[best].Entity;
        var confidence = 1 / total;
        var single = span.FirstToken == span.LastToken;
        confidence *= span.HasLegalForm ? 0.85 + (0.15 * Math.Min(1.0, kb.Popularity[winner] * 1.6))
            : single ? 0.4 + (0.6 * Math.Min(1.0, kb.Popularity[winner] * 2))
            : 0.55 + (0.45 * Math.Min(1.0, kb.Popularity[winner] * 1.6));

        // A capitalised word the same text also uses in lower case ("Court", "State", "Fall") is a common word.
        if (single && !doc.IsUpper(span.FirstToken) && doc.HasLowerCaseUse(span.FirstToken))
        {
            confidence *= 0.5;
        }
        if (kb.Types[winner] == EntityType.Unknown)
        {
            confidence *= 0.6;
        }

        if ((span.Candidates[best].Flags & AliasFlags.FamilyName) != 0)
        {
            confidence *= 0.85;
        }


        span.Entity = winner;
        span.Confidence = confidence;
    }

    double Coherence(int entity, int[] anchors)
    {
        var description = " " + kb.Descriptions[entity].ToLowerInvariant() + " ";
        var score = 0.0;
        foreach (var anchor in anchors)
        {
            if (anchor == entity)
            {
                continue;
            }

            var anchorLabel = kb.Labels[anchor].ToLowerInvariant();
            var anchorDescription = " " + kb.Descriptions[anchor].ToLowerInvariant() + " ";
            var label = kb.Labels[entity].ToLowerInvariant();
            if ((anchorLabel.Length > 2 && description.Contains(" " + anchorLabel, StringComparison.Ordinal)) ||
                (label.Length > 2 && anchorDescription.Contains(" " + label, StringComparison.Ordinal)) ||
                NamedInDescription(entity).Contains(anchor) || NamedInDescription(anchor).Contains(entity))
            {
                score += 0.5;
            }
        }

        return Math.Min(1.0, score);
    }

    readonly System.Collections.Concurrent.ConcurrentDictionary<int, int[]> _namedInDescription = new();

    /// <summary>
    /// The entities a description names by any of their surface forms, not only by label: "government body in
    /// Washington, United States" names the United States of America. Capitalised words start a name; the longest
    /// KB surface form wins. Every candidate of the form counts, since only those that are also anchors matter.
    /// </summary>
    int[] NamedInDescription(int entity) => _namedInDescription.GetOrAdd(entity, static (e, self) => self.FindNames(self.KnowledgeBase.Descriptions[e]), this);

    int[] FindNames(string description)
    {
        if (description.Length == 0)
        {
            return [];
        }

        var tokens = new List<(int Start, int End)>();
        SurfaceForms.Tokenize(description, tokens);
        var found = new List<int>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!char.IsUpper(description[tokens[i].Start]))
            {
                continue;
            }

            for (var last = Math.Min(tokens.Count, i + MaxTextTokensPerAlias) - 1; last >= i; last--)
            {
                var key = SurfaceForms.Key(description[tokens[i].Start..tokens[last].End]);
                var candidates = key is null ? [] : kb.Candidates(key);
                if (candidates.Length > 0)
                {
                    foreach (var candidate in candidates)
                    {
                        found.Add(candidate.Entity);
                    }

                    i = last;
                    break;
                }
            }
        }

        return [.. found.Distinct()];
    }

    // ---- Coreference ----

    void ResolveCoreference(Document doc, List<MentionSpan> spans)
    {
        // Full names linked with confidence, by their first and last words ("Xi", "Jinping"; "Biden").
        var shortForms = new Dictionary<string, MentionSpan>(StringComparer.Ordinal);
        var conflicting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var span in spans.Where(s => s.LastToken > s.FirstToken && s.Entity >= 0 && s.Confidence >= settings.MinConfidence))
        {
            var type = kb.Types[span.Entity];
            var words = Enumerable.Range(span.FirstToken, span.LastToken - span.FirstToken + 1).Where(doc.IsCapitalisedWord).ToList();
            if (words.Count < 2)
            {
                continue;
            }

            IEnumerable<int> keys = type == EntityType.Per ? [words[0], words[^1]] : [words[0]];
            foreach (var k in keys)
            {
                var form = doc.Normalized(k);
                if (NotNames.Contains(form))
                {
                    continue;
                }

                if (shortForms.TryGetValue(form, out var other) && other.Entity != span.Entity)
                {
                    conflicting.Add(form);
                }
                else if (type == EntityType.Per || k == words[0])
                {
                    shortForms.TryAdd(form, span);
                }
            }
        }

        // Last words of names the KB does not know, shaped like a person's name (two or three capitalised words).
        var unknownSurnames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var span in spans.Where(s => s.LastToken > s.FirstToken && s.LastToken - s.FirstToken <= 2 && (s.Entity < 0 || s.Confidence < settings.MinConfidence)))
        {
            if (Enumerable.Range(span.FirstToken, span.LastToken - span.FirstToken + 1).All(t => doc.IsCapitalisedWord(t) && !doc.IsUpper(t) && !CompanySuffixes.Contains(doc.TokenText(t))))
            {
                unknownSurnames.Add(doc.Normalized(span.LastToken));
            }
        }

        foreach (var span in spans)
        {
            if (span.ExpansionOf is { Entity: >= 0 } full && full.Confidence >= settings.MinConfidence)
            {
                Adopt(span, full);
                continue;
            }

            if (span.FirstToken != span.LastToken)
            {
                continue;
            }

            var form = doc.Normalized(span.FirstToken);
            if (shortForms.TryGetValue(form, out var longer) && !conflicting.Contains(form) && longer != span)
            {
                // An ORG's first word only stands for it when the KB has nothing better ("Paxar" after "Paxar Corp").
                if (kb.Types[longer.Entity] == EntityType.Per || span.Entity < 0 || span.Confidence < settings.MinConfidence)
                {
                    Adopt(span, longer);
                }
            }
            else if (span.Entity >= 0 && unknownSurnames.Contains(form) &&
                (kb.Types[span.Entity] == EntityType.Per || span.Confidence < 0.8))
            {
                // "Riley" after "Bob Riley", whom the KB lacks, is that person, not a namesake the KB has.
                span.Entity = -1;
            }
        }

        // Acronyms defined once ("National Security Agency (NSA)") mean the same later in the text.
        var acronyms = spans.Where(s => s.ExpansionOf is not null && s.Entity >= 0).GroupBy(s => doc.Text[s.Start..s.End]).ToDictionary(g => g.Key, g => g.First());
        foreach (var span in spans.Where(s => s.ExpansionOf is null && s.FirstToken == s.LastToken))
        {
            if (acronyms.TryGetValue(doc.Text[span.Start..span.End], out var defined))
            {
                Adopt(span, defined);
            }
        }

        ResolveAcronyms(doc, spans);

        // One sense per document: a surface form keeps the entity of its most confident occurrence.
        foreach (var group in spans.Where(s => s.Entity >= 0).GroupBy(s => doc.Text[s.Start..s.End], StringComparer.Ordinal))
        {
            var top = group.MaxBy(s => s.Confidence)!;
            if (top.Confidence < settings.MinConfidence)
            {
                continue;
            }

            foreach (var span in group)
            {
                if (span.Entity != top.Entity)
                {
                    span.Entity = top.Entity;
                    span.Confidence = top.Confidence * 0.95;
                }
                else
                {
                    span.Confidence = Math.Max(span.Confidence, top.Confidence * 0.95);
                }
            }
        }
    }

    /// <summary>
    /// An acronym stands for an organisation the same text names in full: "SEC" for "Securities and Exchange
    /// Commission" (the initials: this wins over the acronym's own link), "VW" for "Volkswagen AG" (the letters of a
    /// one-word company name in order, from the first: only when the acronym has no link of its own).
    /// </summary>
    void ResolveAcronyms(Document doc, List<MentionSpan> spans)
    {
        var named = spans.Where(s => s.Entity >= 0 && s.Confidence >= settings.MinConfidence && kb.Types[s.Entity] is EntityType.Org or EntityType.Misc or EntityType.Unknown).ToList();
        if (named.Count == 0)
        {
            return;
        }

        foreach (var span in spans.Where(s => s.FirstToken == s.LastToken && s.End - s.Start is >= 2 and <= 5 && doc.IsUpper(s.FirstToken)))
        {
            var acronym = doc.TokenText(span.FirstToken);
            var byInitials = named.FirstOrDefault(n => n != span && Initials(doc, n) == acronym);
            if (byInitials is not null)
            {
                // Name and acronym together: an entity both can mean is the one ("General Electric Co" ... "GEC").
                var shared = byInitials.Candidates.Select(c => c.Entity).FirstOrDefault(e => span.Candidates.Any(c => c.Entity == e), -1);
                if (shared >= 0 && shared != byInitials.Entity)
                {
                    byInitials.Entity = shared;
                }

                if (byInitials.Entity != span.Entity)
                {
                    Adopt(span, byInitials);
                }

                continue;
            }

            if (span.Entity < 0 || span.Confidence < settings.MinConfidence)
            {
                var byLetters = named.FirstOrDefault(n => kb.Types[n.Entity] == EntityType.Org && !doc.IsUpper(n.FirstToken) && LettersInOrder(acronym, doc.TokenText(n.FirstToken)) &&
                    Enumerable.Range(n.FirstToken + 1, n.LastToken - n.FirstToken).All(t => CompanySuffixes.Contains(doc.TokenText(t)) || doc.TokenText(t) == "."));
                if (byLetters is not null)
                {
                    Adopt(span, byLetters);
                }
            }
        }
    }

    /// <summary>The capitals that start the words of a mention, legal forms and connectors left out ("SEC", "GEC").</summary>
    static string Initials(Document doc, MentionSpan span)
    {
        var initials = new StringBuilder(8);
        for (var t = span.FirstToken; t <= span.LastToken; t++)
        {
            if (doc.IsCapitalisedWord(t) && !(CompanySuffixes.Contains(doc.TokenText(t)) && t > span.FirstToken && doc.TokenText(t) != "Co"))
            {
                initials.Append(doc.Text[doc.Tokens[t].Start]);
            }
        }

        return initials.ToString();
    }

    static bool LettersInOrder(string acronym, string name)
    {
        if (name.Length <= acronym.Length || char.ToUpperInvariant(name[0]) != acronym[0])
        {
            return false;
        }

        var at = 1;
        foreach (var letter in acronym.AsSpan(1))
        {
            at = name.IndexOf(char.ToLowerInvariant(letter), at) + 1;
            if (at == 0)
            {
                return false;
            }
        }

        return true;
    }

    static void Adopt(MentionSpan span, MentionSpan full)
    {
        span.Entity = full.Entity;
        span.Confidence = Math.Max(full.Confidence * 0.95, 0);
        span.GuessedType = full.GuessedType;
    }

    sealed class MentionSpan(int start, int end, int firstToken, int lastToken, AliasCandidate[] candidates)
    {
        public int Start { get; } = start;

        public int End { get; } = end;

        public int FirstToken { get; } = firstToken;

        public int LastToken { get; } = lastToken;

        public AliasCandidate[] Candidates { get; } = candidates;

        public int Entity { get; set; } = -1;

        public double Confidence { get; set; }

        public EntityType GuessedType { get; set; } = EntityType.Misc;

        /// <summary>A NIL mention kept only in case coreference resolves it (a sentence-initial capitalised word).</summary>
        public bool Doubtful { get; set; }

        public MentionSpan? ExpansionOf { get; set; }

        /// <summary>The mention ends in a legal form ("Rolls Royce Plc"): the text itself says it is a company.</summary>
        public bool HasLegalForm { get; set; }
    }

    /// <summary>A text split into tokens, with the per-token facts mention detection asks about.</summary>
    sealed class Document
    {
        readonly string?[] _normalized;

        public Document(string text)
        {
            Text = text;
            SurfaceForms.Tokenize(text, Tokens);
            _normalized = new string?[Tokens.Count];
        }

        public string Text { get; }

        public List<(int Start, int End)> Tokens { get; } = [];

        public ReadOnlySpan<char> TokenSpan(int t) => Text.AsSpan(Tokens[t].Start, Tokens[t].End - Tokens[t].Start);

        public string TokenText(int t) => Text[Tokens[t].Start..Tokens[t].End];

        public string Normalized(int t)
        {
            if (_normalized[t] is { } known)
            {
                return known;
            }

            var builder = new StringBuilder(Tokens[t].End - Tokens[t].Start);
            SurfaceForms.AppendToken(builder, TokenSpan(t));
            return _normalized[t] = builder.ToString();
        }

        HashSet<string>? _lowerCaseWords;
        int[]? _sentenceOf;
        HashSet<int>? _sportsSentences;

        /// <summary>The sentence of token t has a score ("6-2", "3 - 1") or a word only games have ("quarterback", "playoffs").</summary>
        public bool IsSportsSentence(int t)
        {
            ReadSentences();
            return _sportsSentences!.Contains(_sentenceOf![t]);
        }

        readonly Dictionary<int, Sport> _sentenceSports = [];

        /// <summary>The sports the words of token t's sentence name ("wicket", "NFL"; not roles), or <see cref="Sport.None"/>.</summary>
        public Sport SentenceSports(int t)
        {
            ReadSentences();
            return _sentenceSports.GetValueOrDefault(_sentenceOf![t]);
        }

        /// <summary>Once per document: each token's sentence, the sentences about a game, and the sports each names.</summary>
        void ReadSentences()
        {
            if (_sentenceOf is not null && _sportsSentences is not null)
            {
                return;
            }

            _sentenceOf = new int[Tokens.Count];
            _sportsSentences = [];
            var sentence = 0;
            for (var i = 0; i < Tokens.Count; i++)
            {
                if (i > 0 && SentenceStart(i))
                {
                    sentence++;
                }

                _sentenceOf[i] = sentence;
                var score = i + 2 < Tokens.Count && char.IsDigit(Text[Tokens[i].Start]) && Tokens[i].End - Tokens[i].Start <= 3 &&
                    TokenText(i + 1) == "-" && char.IsDigit(Text[Tokens[i + 2].Start]) && Tokens[i + 2].End - Tokens[i + 2].Start <= 3 &&
                    (i + 3 >= Tokens.Count || !char.IsDigit(Text[Tokens[i + 3].Start]));
                var word = Normalized(i);
                var sport = SportsTeams.IsRole(word) ? Sport.None : SportsTeams.CueOf(word);
                if (score || SportsWords.Contains(word) || sport != Sport.None)
                {
                    _sportsSentences.Add(sentence);
                }

                if (sport != Sport.None)
                {
                    _sentenceSports[sentence] = _sentenceSports.GetValueOrDefault(sentence) | sport;
                }
            }
        }

        HashSet<string>? _namesInsideSentences;

        /// <summary>
        /// The word is also written capitalised inside a sentence elsewhere in the text: a name, even where it opens a
        /// sentence ("Reagan said ..." after "President Reagan").
        /// </summary>
        public bool CapitalisedInsideSentence(int t)
        {
            if (_namesInsideSentences is null)
            {
                _namesInsideSentences = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < Tokens.Count; i++)
                {
                    if (IsCapitalisedWord(i) && !SentenceStart(i))
                    {
                        _namesInsideSentences.Add(TokenText(i));
                    }
                }
            }

            return _namesInsideSentences.Contains(TokenText(t));
        }

        public bool HasLowerCaseUse(int t)
        {
            if (_lowerCaseWords is null)
            {
                _lowerCaseWords = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < Tokens.Count; i++)
                {
                    if (char.IsLower(Text[Tokens[i].Start]))
                    {
                        _lowerCaseWords.Add(TokenText(i));
                    }
                }
            }

            return _lowerCaseWords.Contains(Normalized(t));
        }

        public bool IsWord(int t) => SurfaceForms.IsWordChar(Text[Tokens[t].Start]);

        public bool IsCapitalisedWord(int t) => char.IsUpper(Text[Tokens[t].Start]);

        public bool IsUpper(int t) => SurfaceForms.IsUpperCase(TokenSpan(t));

        /// <summary>Tokens t-1 and t are on one line with at most one space between them (names do not span line breaks).</summary>
        public bool Adjacent(int a, int b)
        {
            var gap = Tokens[b].Start - Tokens[a].End;
            return gap <= 1 && (gap == 0 || Text[Tokens[a].End] == ' ');
        }

        public bool CanStartName(int t) =>
            (IsCapitalisedWord(t) || (char.IsDigit(Text[Tokens[t].Start]) && Tokens[t].End - Tokens[t].Start > 1 && ContainsLetter(t))) &&
            !(SentenceStart(t) && NotNames.Contains(Normalized(t)) && !IsUpper(t)) &&
            !(t >= 2 && HyphenJoined(t - 2) && IsCapitalisedWord(t - 2));

        /// <summary>Tokens a, a+1, a+2 are one hyphenated word ("Rolls-Royce", "Ying-jeou", "Beijing-based").</summary>
        public bool HyphenJoined(int a) =>
            a >= 0 && a + 2 < Tokens.Count && Normalized(a + 1) == "-" && Tokens[a].End == Tokens[a + 1].Start && Tokens[a + 1].End == Tokens[a + 2].Start &&
            IsWord(a) && IsWord(a + 2);

        /// <summary>A lower-case word hyphenated to a capitalised one ("jeou" in "Ma Ying-jeou", "based" in "Beijing-based").</summary>
        public bool IsHyphenTail(int t) => t >= 2 && HyphenJoined(t - 2) && IsCapitalisedWord(t - 2) && !IsCapitalisedWord(t);

        public bool CanContinueName(int t)
        {
            if (TokenText(t) == ".")
            {
                // "U.S. Patent Office" goes on; "CNN. Later" is a new sentence.
                return t > 0 && IsCapitalisedWord(t - 1) && Tokens[t - 1].End - Tokens[t - 1].Start == 1;
            }

            return IsCapitalisedWord(t) || char.IsDigit(Text[Tokens[t].Start]) || Connectors.Contains(Normalized(t)) || IsHyphenTail(t);
        }

        public bool CanEndName(int t)
        {
            if (IsCapitalisedWord(t) || char.IsDigit(Text[Tokens[t].Start]))
            {
                // Not inside a hyphenated name: "Bristol" is not a name of its own in "Bristol-Myers".
                return !(HyphenJoined(t) && IsCapitalisedWord(t + 2));
            }

            if (IsHyphenTail(t))
            {
                return true;
            }

            // The final dot of "U.S." or "Inc." belongs to the name when it follows a single capital or an abbreviation.
            return TokenText(t) == "." && t > 0 && Adjacent(t - 1, t) && IsCapitalisedWord(t - 1) && Tokens[t - 1].End - Tokens[t - 1].Start == 1;
        }

        /// <summary>The dot at token t is followed by the end of the text or by a new sentence (a capitalised word).</summary>
        public bool EndsSentence(int t) =>
            t + 1 >= Tokens.Count || (Tokens[t + 1].Start > Tokens[t].End && (IsCapitalisedWord(t + 1) || Text.AsSpan(Tokens[t].End, Tokens[t + 1].Start - Tokens[t].End).Contains('\n')));

        public bool SentenceStart(int t)
        {
            for (var p = t - 1; p >= 0; p--)
            {
                var previous = TokenText(p);
                if (previous is "\"" or "“" or "‘" or "'" or "`" or "(" or "[" or "-" or "—" or "–")
                {
                    continue;
                }

                if (Text.AsSpan(Tokens[p].End, Tokens[t].Start - Tokens[p].End).Contains('\n'))
                {
                    return true;
                }

                return previous is "." or "!" or "?" or ":" or ";";
            }

            return true;
        }

        bool ContainsLetter(int t)
        {
            foreach (var c in TokenSpan(t))
            {
                if (char.IsLetter(c))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
