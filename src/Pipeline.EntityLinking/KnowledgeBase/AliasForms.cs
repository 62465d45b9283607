namespace Pipeline.EntityLinking.KnowledgeBase;

/// <summary>
/// The index keys of one entity: its listed names (label, aliases, Wikipedia title) and the forms derived from them
/// (<see cref="NameVariants"/>, family names, short names, initials). Each key comes with the phase that made it: when
/// an entity gets one key from several phases, the earliest wins (a listed form is never replaced by a derived one).
/// </summary>
static class AliasForms
{
    /// <summary>Longer aliases are not indexed: names of more tokens are rare and would only slow the scan.</summary>
    public const int MaxTokensPerAlias = 10;

    /// <summary>Weight of a derived form against a listed one.</summary>
    public const float DerivedWeight = 0.5f;

    /// <summary>The order in which forms are made; a key gets the flags of the earliest phase that made it for the entity.</summary>
    public enum Phase : byte
    {
        Listed = 0,
        Variant = 1,
        FamilyName = 2,
        ShortNameOrInitials = 3,
    }

    public static float Weight(Phase phase) => phase == Phase.Listed ? 1f : DerivedWeight;

    /// <summary>One entity, merged over all its records: the first label, description and type, and every record's names in order.</summary>
    public sealed record Entity(int Index, string Label, string Description, EntityType Type, IReadOnlyList<(string Surface, bool IsLabel)> Surfaces);

    public delegate void Emit(string key, Phase phase, AliasFlags flags, bool upperCase);

    /// <summary>Makes every key of a named entity; <paramref name="variants"/> knows the countries.</summary>
    public static void Generate(Entity entity, NameVariants variants, Emit emit)
    {
        if (!IsNamedEntity(entity.Label, entity.Description))
        {
            return; // kept for lookups by QID, but never a candidate of a name in the text
        }

        var initials = Initials(entity.Surfaces);
        foreach (var (surface, isLabel) in entity.Surfaces)
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

            emit(key, Phase.Listed, isLabel ? AliasFlags.Label : AliasFlags.None, SurfaceForms.IsUpperCase(surface));
        }

        // Forms the KB does not list but news texts use, derived from the listed ones (see NameVariants).
        if (entity.Type is not (EntityType.Per or EntityType.Loc))
        {
            foreach (var key in variants.Of(entity.Surfaces.Select(f => SurfaceForms.Key(f.Surface)).OfType<string>()))
            {
                emit(key, Phase.Variant, AliasFlags.Derived, false);
            }

            // A company named by a hyphenated compound and more is also named by the compound alone ("Bristol-Myers"
            // for "Bristol-Myers Squibb", "Hewlett-Packard" for "Hewlett-Packard Enterprise").
            if (entity.Description.Contains("company", StringComparison.Ordinal) && LeadingCompound(entity.Label) is { } compound && SurfaceForms.Key(compound) is { } compoundKey)
            {
                emit(compoundKey, Phase.Variant, AliasFlags.Derived, false);
            }
        }

        // Family names ("Hollande", "Churkin") and first-and-last names ("George Bush") of persons, and the initials of
        // organisations' and other names ("ACLU"), as weak forms of their own: whether "Washington" is the city or the
        // president, and "GE" the company, is the ranker's call, from the flags, the prior and the context.
        if (entity.Type == EntityType.Per)
        {
            if (FamilyNameKey(entity.Label) is { } familyName)
            {
                emit(familyName, Phase.FamilyName, AliasFlags.FamilyName, false);
                if (CompoundFamilyNameKey(entity.Label) is { } compound)
                {
                    emit(compound, Phase.FamilyName, AliasFlags.FamilyName, false);
                }
            }

            if (ShortNameKey(entity.Label) is { } shortName)
            {
                emit(shortName, Phase.ShortNameOrInitials, AliasFlags.ShortName, false);
            }
        }
        else if (InitialsOf(entity.Label) is { } acronym)
        {
            emit(acronym, Phase.ShortNameOrInitials, AliasFlags.Initials, true);
        }
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

    static HashSet<string> Initials(IReadOnlyList<(string Surface, bool IsLabel)> surfaces)
    {
        var initials = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (surface, _) in surfaces)
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

    /// <summary>One entity's entry for a key, as it enters the priors.</summary>
    public readonly record struct FormEntry(int Entity, AliasFlags Flags, bool Upper, float Weight);

    /// <summary>
    /// P(entity | form) from popularity, with a form that is the entity's label weighing more than an alias:
    /// "Paris" is far more often the capital than one of the towns that has it as an alias. The entries come in the
    /// order they were made (phase, then entity); the result is most probable first, with each candidate's weight.
    /// </summary>
    public static (AliasCandidate[] Candidates, double Total) Priors(IReadOnlyList<FormEntry> list, Func<int, float> popularity)
    {
        var weights = new double[list.Count];
        var total = 0.0;
        for (var c = 0; c < list.Count; c++)
        {
            weights[c] = Weight(popularity(list[c].Entity), list[c].Flags, list[c].Weight);
            total += weights[c];
        }

        var result = new AliasCandidate[list.Count];
        for (var c = 0; c < list.Count; c++)
        {
            var flags = list[c].Flags | (list[c].Upper ? AliasFlags.UpperCase : AliasFlags.None);
            result[c] = new AliasCandidate(list[c].Entity, (float)(weights[c] / total), flags);
        }

        Array.Sort(result, (a, b) => b.Prior.CompareTo(a.Prior));
        return (result, total);
    }

    const AliasFlags DerivedFlags = AliasFlags.Derived | AliasFlags.FamilyName | AliasFlags.Initials | AliasFlags.ShortName;

    /// <summary>A candidate's unnormalised weight, from its entity's popularity and its flags (which tell the phase that made it).</summary>
    public static double Weight(float popularity, AliasFlags flags) => Weight(popularity, flags, (flags & DerivedFlags) != 0 ? DerivedWeight : 1f);

    static double Weight(float popularity, AliasFlags flags, float formWeight)
    {
        var p = Math.Max(popularity, 0.01);
        return p * p * p * p * ((flags & AliasFlags.Label) != 0 ? 1.5 : 1.0) * formWeight;
    }
}
