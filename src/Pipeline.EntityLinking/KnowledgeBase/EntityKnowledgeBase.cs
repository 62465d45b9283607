using System.Runtime.InteropServices;

namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// The in-memory knowledge base: entities in parallel arrays, and the alias index from a normalised surface form
/// (<see cref="SurfaceForms.Key"/>) to its candidates with priors, most likely first.
/// </summary>
public sealed class EntityKnowledgeBase
{
    readonly Dictionary<string, AliasCandidate[]> _aliases;
    readonly Dictionary<string, int> _byQid;

    internal EntityKnowledgeBase(string[] qids, string[] labels, string[] descriptions, EntityType[] types, float[] popularity, Dictionary<string, AliasCandidate[]> aliases)
    {
        Qids = qids;
        Labels = labels;
        Descriptions = descriptions;
        Types = types;
        Popularity = popularity;
        _aliases = aliases;
        _byQid = new Dictionary<string, int>(qids.Length, StringComparer.Ordinal);
        for (var i = 0; i < qids.Length; i++)
        {
            _byQid[qids[i]] = i;
        }

        MaxAliasTokens = 1;
        foreach (var key in aliases.Keys)
        {
            MaxAliasTokens = Math.Max(MaxAliasTokens, key.Count(c => c == ' ') + 1);
        }

        MaxAliasTokens = Math.Min(MaxAliasTokens, MaxTokensPerAlias);
    }

    /// <summary>Longer aliases are not indexed: names of more tokens are rare and would only slow the scan.</summary>
    public const int MaxTokensPerAlias = 10;

    public string[] Qids { get; }

    public string[] Labels { get; }

    public string[] Descriptions { get; }

    public EntityType[] Types { get; }

    public float[] Popularity { get; }

    public int Count => Qids.Length;

    public int AliasCount => _aliases.Count;

    public int MaxAliasTokens { get; }

    internal IReadOnlyDictionary<string, AliasCandidate[]> Aliases => _aliases;

    public bool Contains(string qid) => _byQid.ContainsKey(qid);

    public int IndexOf(string qid) => _byQid.TryGetValue(qid, out var index) ? index : -1;

    public ReadOnlySpan<AliasCandidate> Candidates(string key) =>
        _aliases.TryGetValue(key, out var candidates) ? candidates : [];

    public ReadOnlySpan<AliasCandidate> Candidates(ReadOnlySpan<char> key) =>
        _aliases.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out var candidates) ? candidates : [];

    /// <summary>Builds the index from entity records; records with the same QID are merged (union of aliases, the larger popularity).</summary>
    public static EntityKnowledgeBase Build(IEnumerable<EntityRecord> records, IReadOnlyDictionary<string, EntityType>? typeFixes = null)
    {
        var merged = new Dictionary<string, MergedEntity>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(merged, record.Qid, out var exists);
            if (!exists)
            {
                slot = new MergedEntity(merged.Count - 1, record); // the new key is already counted
            }
            else
            {
                slot!.Merge(record);
            }
        }

        var count = merged.Count;
        var qids = new string[count];
        var labels = new string[count];
        var descriptions = new string[count];
        var types = new EntityType[count];
        var popularity = new float[count];
        var forms = new Dictionary<string, List<FormEntry>>(count * 3, StringComparer.Ordinal);
        var familyNames = new List<(string Key, int Entity)>();
        var named = new List<MergedEntity>(count);
        foreach (var entity in merged.Values)
        {
            var i = entity.Index;
            qids[i] = entity.Qid;
            labels[i] = entity.Label;
            descriptions[i] = entity.Description;
            types[i] = typeFixes is not null && typeFixes.TryGetValue(entity.Qid, out var fixedType) ? fixedType : entity.Type;
            popularity[i] = entity.Popularity;
            if (!IsNamedEntity(entity.Label, entity.Description))
            {
                continue; // kept for lookups by QID, but never a candidate of a name in the text
            }

            named.Add(entity);
            if (types[i] == EntityType.Per && FamilyNameKey(entity.Label) is { } familyName)
            {
                familyNames.Add((familyName, i));
                if (CompoundFamilyNameKey(entity.Label) is { } compound)
                {
                    familyNames.Add((compound, i));
                }
            }

            var initials = Initials(entity);
            foreach (var (surface, isLabel) in entity.SurfaceForms())
            {
                var key = SurfaceForms.Key(surface);
                if (key is null || key.Length < 2 || key.Count(c => c == ' ') >= MaxTokensPerAlias)
                {
                    continue;
                }

                // Two-letter codes (GM for Gambia, IN for India) are mostly ISO codes that collide with acronyms in
                // text; keep only those that abbreviate a name of the entity (US, UK, EU).
                if (key.Length == 2 && !isLabel && !initials.Contains(key))
                {
                    continue;
                }

                AddForm(forms, key, new FormEntry(i, isLabel ? AliasFlags.Label : AliasFlags.None, SurfaceForms.IsUpperCase(surface), 1f));
            }
        }

        // Forms the KB does not list but news texts use, derived from the listed ones (see NameVariants); an
        // entity's own form is never replaced by a derived one.
        var variants = new NameVariants(named.Where(e => e.IsCountry).Select(e => (e.Index, e.SurfaceForms().Select(f => f.Surface))));
        foreach (var entity in named)
        {
            if (types[entity.Index] is EntityType.Per or EntityType.Loc)
            {
                continue;
            }

            foreach (var key in variants.Of(entity.SurfaceForms().Select(f => SurfaceForms.Key(f.Surface)).OfType<string>()))
            {
                AddForm(forms, key, new FormEntry(entity.Index, AliasFlags.Derived, false, DerivedWeight), replace: false);
            }

            // A company named by a hyphenated compound and more is also named by the compound alone ("Bristol-Myers"
            // for "Bristol-Myers Squibb", "Hewlett-Packard" for "Hewlett-Packard Enterprise").
            if (entity.Description.Contains("company", StringComparison.Ordinal) && LeadingCompound(entity.Label) is { } compound && SurfaceForms.Key(compound) is { } compoundKey)
            {
                AddForm(forms, compoundKey, new FormEntry(entity.Index, AliasFlags.Derived, false, DerivedWeight), replace: false);
            }
        }

        // Family names ("Hollande", "Churkin") and first-and-last names ("George Bush") of persons, and the initials of
        // organisations' and other names ("ACLU"), as weak forms of their own: whether "Washington" is the city or the
        // president, and "GE" the company, is the ranker's call, from the flags, the prior and the context.
        foreach (var (key, entity) in familyNames)
        {
            AddForm(forms, key, new FormEntry(entity, AliasFlags.FamilyName, false, DerivedWeight), replace: false);
        }

        foreach (var entity in named)
        {
            var type = types[entity.Index];
            if (type == EntityType.Per)
            {
                if (ShortNameKey(entity.Label) is { } shortName)
                {
                    AddForm(forms, shortName, new FormEntry(entity.Index, AliasFlags.ShortName, false, DerivedWeight), replace: false);
                }
            }
            else if (InitialsOf(entity.Label) is { } initials)
            {
                AddForm(forms, initials, new FormEntry(entity.Index, AliasFlags.Initials, true, DerivedWeight), replace: false);
            }
        }

        var aliases = new Dictionary<string, AliasCandidate[]>(forms.Count, StringComparer.Ordinal);
        foreach (var (key, list) in forms)
        {
            aliases[key] = Priors(list, popularity);
        }

        return new EntityKnowledgeBase(qids, labels, descriptions, types, popularity, aliases);
    }

    static HashSet<string> Initials(MergedEntity entity)
    {
        var initials = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (surface, _) in entity.SurfaceForms())
        {
            var words = surface.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries).Where(w => char.IsUpper(w[0])).ToList();
            if (words.Count >= 2)
            {
                initials.Add(string.Concat(words.Select(w => char.ToLowerInvariant(w[0]))));
            }
        }

        return initials;
    }

    static string? FamilyNameKey(string label)
    {
        var words = label.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Only labels shaped like a personal name: "George III of Great Britain" is not "Britain". The family name may
        // open with a hyphenated particle ("Nouri al-Maliki").
        if (words.Length is < 2 or > 4 || words[..^1].Any(w => !char.IsUpper(w[0])) || label.Contains(',', StringComparison.Ordinal) || label.Contains('(', StringComparison.Ordinal))
        {
            return null;
        }

        var last = words[^1];
        var hyphen = last.IndexOf('-', StringComparison.Ordinal);
        var capitalised = char.IsUpper(last[0]) || (hyphen is > 0 and <= 3 && hyphen + 1 < last.Length && char.IsUpper(last[hyphen + 1]));
        return last.Length >= 3 && capitalised && last.All(c => char.IsLetter(c) || c is '-' or '\'' or '’') ? SurfaceForms.Key(last) : null;
    }

    /// <summary>The last two words of a three-word personal name whose middle word is a name, not an initial ("Goeppert Mayer").</summary>
    static string? CompoundFamilyNameKey(string label)
    {
        var words = label.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 3 && FamilyNameKey(label) is not null && words[1].Length > 2 && words[1].All(char.IsLetter) && char.IsUpper(words[1][0])
            ? SurfaceForms.Key(words[1] + " " + words[2])
            : null;
    }

    /// <summary>
    /// Wikidata labels of concepts are lower case ("president", "marriage"), and name and disambiguation items are
    /// not things a news text refers to: none of them should ever be linked to a capitalised word.
    /// </summary>
    public static bool IsNamedEntity(string label, string description) =>
        label.Length > 0 && !char.IsLower(label[0]) &&
        !description.Contains("family name", StringComparison.OrdinalIgnoreCase) &&
        !description.Contains("surname", StringComparison.OrdinalIgnoreCase) &&
        !description.Contains("given name", StringComparison.OrdinalIgnoreCase) &&
        !description.StartsWith("Wikimedia ", StringComparison.Ordinal);

    /// <summary>
    /// The acronym of a name of three or more capitalised words, connectors skipped ("American Civil Liberties Union" is
    /// "aclu"); null for shorter names, whose two-letter initials collide with too many other things.
    /// </summary>
    static string? InitialsOf(string label)
    {
        if (label.Contains('(', StringComparison.Ordinal) || label.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var initials = new System.Text.StringBuilder(8);
        foreach (var word in label.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (WordLists.NameConnectors.Contains(word.ToLowerInvariant()))
            {
                continue;
            }

            if (!char.IsUpper(word[0]))
            {
                return null;
            }

            initials.Append(char.ToLowerInvariant(word[0]));
        }

        return initials.Length is >= 3 and <= 6 ? initials.ToString() : null;
    }

    /// <summary>First and last word of a person's name of three or four words ("George Walker Bush", "George W. Bush"), else null.</summary>
    static string? ShortNameKey(string label)
    {
        var words = label.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is < 3 or > 4 || words.Any(w => !char.IsUpper(w[0])) || label.Contains(',', StringComparison.Ordinal) || label.Contains('(', StringComparison.Ordinal) ||
            words[^1].TrimEnd('.').Length <= 2 || words[0].TrimEnd('.').Length <= 1)
        {
            return null;
        }

        return SurfaceForms.Key(words[0] + " " + words[^1]);
    }

    static string? LeadingCompound(string label)
    {
        var space = label.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return null;
        }

        var first = label[..space];
        var hyphen = first.IndexOf('-', StringComparison.Ordinal);
        return hyphen > 1 && hyphen < first.Length - 2 && char.IsUpper(first[0]) && char.IsUpper(first[hyphen + 1]) && first.All(c => char.IsLetter(c) || c == '-')
            ? first
            : null;
    }

    /// <summary>Weight of a derived form (<see cref="NameVariants"/>) against a listed one.</summary>
    const float DerivedWeight = 0.5f;

    readonly record struct FormEntry(int Entity, AliasFlags Flags, bool Upper, float Weight);

    static void AddForm(Dictionary<string, List<FormEntry>> forms, string key, FormEntry entry, bool replace = true)
    {
        ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(forms, key, out var known);
        list ??= [];
        var at = list.FindIndex(c => c.Entity == entry.Entity);
        if (at < 0)
        {
            list.Add(entry);
        }
        else if (replace)
        {
            var previous = list[at];
            list[at] = previous with { Flags = previous.Flags | entry.Flags, Upper = previous.Upper && entry.Upper };
        }
    }

    /// <summary>
    /// P(entity | form) from popularity, with a form that is the entity's label weighing more than an alias:
    /// "Paris" is far more often the capital than one of the towns that has it as an alias.
    /// </summary>
    static AliasCandidate[] Priors(List<FormEntry> list, float[] popularity)
    {
        var weights = new double[list.Count];
        var total = 0.0;
        for (var c = 0; c < list.Count; c++)
        {
            var p = Math.Max(popularity[list[c].Entity], 0.01);
            weights[c] = p * p * p * p * ((list[c].Flags & AliasFlags.Label) != 0 ? 1.5 : 1.0) * list[c].Weight;
            total += weights[c];
        }

        var result = new AliasCandidate[list.Count];
        for (var c = 0; c < list.Count; c++)
        {
            var flags = list[c].Flags | (list[c].Upper ? AliasFlags.UpperCase : AliasFlags.None);
            result[c] = new AliasCandidate(list[c].Entity, (float)(weights[c] / total), flags);
        }

        Array.Sort(result, (a, b) => b.Prior.CompareTo(a.Prior));
        return result;
    }

    sealed class MergedEntity(int index, EntityRecord first)
    {
        readonly List<EntityRecord> _more = [];

        public int Index { get; } = index;

        public string Qid => first.Qid;

        public string Label => first.Label.Length > 0 ? first.Label : _more.Select(r => r.Label).FirstOrDefault(l => l.Length > 0) ?? first.Qid;

        public string Description => first.Description.Length > 0 ? first.Description : _more.Select(r => r.Description).FirstOrDefault(d => d.Length > 0) ?? "";

        public EntityType Type => first.Type != EntityType.Unknown ? first.Type : _more.Select(r => r.Type).FirstOrDefault(t => t != EntityType.Unknown);

        public float Popularity => _more.Count == 0 ? first.Popularity : Math.Max(first.Popularity, _more.Max(r => r.Popularity));

        public bool IsCountry => first.IsCountry || _more.Any(r => r.IsCountry);

        public void Merge(EntityRecord record) => _more.Add(record);

        public IEnumerable<(string Surface, bool IsLabel)> SurfaceForms()
        {
            foreach (var record in _more.Prepend(first))
            {
                if (record.Label.Length > 0)
                {
                    yield return (record.Label, true);
                }

                foreach (var alias in record.Aliases)
                {
                    yield return (alias, false);
                }

                // A Wikipedia title without a disambiguating parenthesis is how the entity is usually named.
                if (record.EnwikiTitle is { Length: > 0 } title && !title.Contains('(', StringComparison.Ordinal))
                {
                    yield return (title, false);
                }
            }
        }
    }
}
