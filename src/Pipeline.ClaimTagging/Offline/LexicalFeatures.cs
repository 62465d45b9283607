using System.Text.RegularExpressions;

namespace Pipeline.ClaimTagging.Offline;

/// <summary>
/// Surface cues of factual, checkable statements that a sentence embedding captures only weakly: numbers, money,
/// percentages, comparisons, years, votes and laws; and cues of the opposite (questions, thanks, very short turns).
/// Every value is in 0..1 so that they sit on the scale of the embedding's components.
/// </summary>
public static partial class LexicalFeatures
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "digit", "numbers", "percent", "money", "year", "magnitude", "length", "very-short", "question", "exclamation",
        "first-person-singular", "first-person-plural", "second-person", "future", "comparison", "superlative",
        "change-verb", "politics-record", "negation", "proper-nouns", "courtesy", "quote",
    ];

    public static int Count => Names.Count;

    public static void Write(string sentence, Span<float> destination)
    {
        var words = Word().Matches(sentence).Count;
        var numbers = Number().Matches(sentence).Count;
        var i = 0;
        destination[i++] = Flag(Digit().IsMatch(sentence));
        destination[i++] = Math.Min(numbers, 4) / 4f;
        destination[i++] = Flag(Percent().IsMatch(sentence));
        destination[i++] = Flag(Money().IsMatch(sentence));
        destination[i++] = Flag(Year().IsMatch(sentence));
        destination[i++] = Flag(Magnitude().IsMatch(sentence));
        destination[i++] = (float)Math.Min(Math.Log(1 + words) / Math.Log(80), 1);
        destination[i++] = Flag(words < 6);
        destination[i++] = Flag(sentence.TrimEnd().EndsWith('?'));
        destination[i++] = Flag(sentence.Contains('!', StringComparison.Ordinal));
        destination[i++] = Flag(FirstSingular().IsMatch(sentence));
        destination[i++] = Flag(FirstPlural().IsMatch(sentence));
        destination[i++] = Flag(SecondPerson().IsMatch(sentence));
        destination[i++] = Flag(Future().IsMatch(sentence));
        destination[i++] = Flag(Comparison().IsMatch(sentence));
        destination[i++] = Flag(Superlative().IsMatch(sentence));
        destination[i++] = Flag(ChangeVerb().IsMatch(sentence));
        destination[i++] = Flag(PoliticsRecord().IsMatch(sentence));
        destination[i++] = Flag(Negation().IsMatch(sentence));
        destination[i++] = Math.Min(ProperNoun().Matches(sentence).Count, 4) / 4f;
        destination[i++] = Flag(Courtesy().IsMatch(sentence));
        destination[i++] = Flag(sentence.Contains('"', StringComparison.Ordinal) || sentence.Contains('“', StringComparison.Ordinal));
    }

    static float Flag(bool value) => value ? 1f : 0f;

    [GeneratedRegex(@"\w+")]
    private static partial Regex Word();

    [GeneratedRegex(@"\d")]
    private static partial Regex Digit();

    [GeneratedRegex(@"\d[\d,.]*|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|half|double|twice|triple)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Number();

    [GeneratedRegex(@"%|\bper ?cent\b|\bpercentage\b", RegexOptions.IgnoreCase)]
    private static partial Regex Percent();

    [GeneratedRegex(@"[$€£]|\b(dollars?|taxe?s?|budget|deficit|debt|spending|cost|pay|paid|income|wages?|economy)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Money();

    [GeneratedRegex(@"\b(1[89]\d\d|20\d\d)\b|\b(years?|months?|decades?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Year();

    [GeneratedRegex(@"\b(million|billion|trillion|thousands?|hundreds?|dozens?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Magnitude();

    [GeneratedRegex(@"\b(I|I'm|I've|I'd|I'll|me|my|myself)\b")]
    private static partial Regex FirstSingular();

    [GeneratedRegex(@"\b(we|we're|we've|we'll|us|our|ours)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FirstPlural();

    [GeneratedRegex(@"\b(you|your|you're|you've)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SecondPerson();

    [GeneratedRegex(@"\b(will|won't|would|going to|gonna|shall|plan to|intend)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Future();

    [GeneratedRegex(@"\b(more|less|fewer|higher|lower|larger|smaller|increase[sd]?|decrease[sd]?|than)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Comparison();

    [GeneratedRegex(@"\b(most|least|highest|lowest|largest|biggest|best|worst|first|last|only|never|ever|record)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Superlative();

    [GeneratedRegex(@"\b(cut|cuts|raised?|rais(es|ing)|grew|grow(n|s)?|lost|losing|created?|doubled?|tripled?|rose|fell|drop(ped)?|declined?|reduced?|increased?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ChangeVerb();

    [GeneratedRegex(@"\b(voted?|votes|bill|law|legislation|senate|congress|signed|veto(ed)?|supported|opposed|administration|policy|plan)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PoliticsRecord();

    [GeneratedRegex(@"\b(not|no|never|n't|nobody|nothing)\b|n't\b", RegexOptions.IgnoreCase)]
    private static partial Regex Negation();

    [GeneratedRegex(@"(?<=\w[\s,]+)\p{Lu}\w+")]
    private static partial Regex ProperNoun();

    [GeneratedRegex(@"^\W*(thank|thanks|good evening|good night|well,? thank|applause|laughter|crosstalk|okay|ok|yes|no|sure|absolutely|all right)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Courtesy();
}
