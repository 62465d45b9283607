using System.Text.RegularExpressions;
using Pipeline.Contracts;

namespace Pipeline.ClaimTagging.Tagging;

/// <summary>
/// Rule-based reading of one check-worthy sentence: its <see cref="ClaimTypes">type</see>, who it is attributed to,
/// and its <see cref="EvidenceLevels">evidence level</see>. Used by the offline tagger, and to fill in what an LLM
/// leaves out.
/// </summary>
public static partial class ClaimRules
{
    /// <summary>The type, and whether a specific cue decided it (false = the default, "event").</summary>
    public static (string Type, bool Cued) TypeOf(string sentence) =>
        Promise().IsMatch(sentence) ? (ClaimTypes.PromiseOrPolicy, true)
        : Accusation().IsMatch(sentence) ? (ClaimTypes.Accusation, true)
        : Intent().IsMatch(sentence) ? (ClaimTypes.AttributionOfIntent, true)
        : Causal().IsMatch(sentence) ? (ClaimTypes.Causal, true)
        : Prediction().IsMatch(sentence) ? (ClaimTypes.Prediction, true)
        : Quantity().IsMatch(sentence) ? (ClaimTypes.Quantitative, true)
        : (ClaimTypes.EventOrAction, false);

    /// <summary>The source as written in the sentence and its kind; the author when the sentence names none.</summary>
    public static ClaimAttribution AttributionOf(string sentence)
    {
        if (AccordingTo().Match(sentence) is { Success: true } according)
        {
            var source = according.Groups["source"].Value.Trim();
            return new(source, KindOf(source));
        }

        foreach (Match speech in ReportingClause().Matches(sentence))
        {
            var source = speech.Groups["source"].Value.Trim();
            if (source.Length > 0 && !Pronoun().IsMatch(source))
            {
                var told = speech.Groups["told"].Success ? " told " + speech.Groups["told"].Value.Trim() : "";
                return new(source + told, KindOf(source));
            }
        }

        return new("the author", ClaimAttribution.Author);
    }

    public static string EvidenceLevelOf(string sentence, ClaimAttribution attribution) =>
        Alleged().IsMatch(sentence) ? EvidenceLevels.Alleged
        : Hedged().IsMatch(sentence) ? EvidenceLevels.Hedged
        : attribution.Kind == ClaimAttribution.Author ? EvidenceLevels.Asserted
        : EvidenceLevels.Reported;

    /// <summary>The kind of a source phrase: unnamed people, a document, an organisation, or a named person.</summary>
    public static string KindOf(string source) =>
        AnonymousSource().IsMatch(source) ? ClaimAttribution.Anonymous
        : DocumentSource().IsMatch(source) ? ClaimAttribution.Document
        : OrganisationSource().IsMatch(source) ? ClaimAttribution.Organisation
        : NamedPerson().IsMatch(source) ? ClaimAttribution.NamedPerson
        : ClaimAttribution.Organisation;

    [GeneratedRegex(@"\b(promis\w*|pledg\w*|vow\w*|assur\w*|guarantee\w*|commit(s|ted)? to)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Promise();

    [GeneratedRegex(@"\b(accus\w*|alleg\w*|blam\w*|interfer\w*|meddl\w*|lied|lying|fraud\w*|corrupt\w*|rigg\w*|propaganda|disinformation)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Accusation();

    [GeneratedRegex(@"\b(tr(y|ies|ied|ying) to|attempt\w* to|aim\w* to|goal|intend\w*|intention\w*|seek\w* to|sought to|in order to|want(s|ed)? to|plan(s|ned)? to)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Intent();

    [GeneratedRegex(@"\b(because|caus\w*|due to|led to|leads to|result(ed|s)? in|as a result|thanks to|driven by)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Causal();

    [GeneratedRegex(@"\b(will|won't|going to|expect\w*|forecast\w*|predict\w*|project(ed|s|ions?)|by 20\d\d|next year)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Prediction();

    [GeneratedRegex(@"\d|%|\b(percent|million|billion|trillion|thousands?|hundreds?|dozens?|half|double|twice|triple)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Quantity();

    // Abbreviation dots ("U.S.", "Jan.") stay in the source; any other dot closes it.
    [GeneratedRegex(@"\baccording to (?<source>(?:[^,.;:!?“”""]|\.(?=\S)|(?<=\b(?-i:\p{Lu})|\b(?:Jan|Feb|Aug|Sept?|Oct|Nov|Dec|Mr|Ms|Mrs|Dr|St))\.(?!\s*$))+)", RegexOptions.IgnoreCase)]
    private static partial Regex AccordingTo();

    // "..., two people with direct knowledge of the matter told CNN." / "CNN reported on Tuesday." / "the report states"
    [GeneratedRegex(@"(?:^|[,;:“”""]\s*|\.\s+)(?<source>(?:[\p{L}\p{N}'’.()-]+\s+){0,9}?[\p{L}\p{N}'’.()-]+)\s+(?:said|says|told(?<told>\s+(?:\p{Lu}[\w.]*)(?:\s+\p{Lu}[\w.]*)*)?|reported|reports|stated|states|claimed|claims|announced|wrote|writes|added|noted|warned|confirmed|testified|insisted|acknowledged)\b")]
    private static partial Regex ReportingClause();

    [GeneratedRegex(@"^(he|she|it|they|we|i|you|this|that)$", RegexOptions.IgnoreCase)]
    private static partial Regex Pronoun();

    [GeneratedRegex(@"\b(people|person|sources?|officials?|insiders?|aides?|diplomats?|experts?|analysts?|someone|spokes(man|woman|person))\b(?-i:(?!.*\b\p{Lu}\w+\s+\p{Lu}\w+))", RegexOptions.IgnoreCase)]
    private static partial Regex AnonymousSource();

    [GeneratedRegex(@"\b(report|intelligence|study|survey|document|memo|data|statement|filing|analysis|assessment|records?|letter|poll|paper|census|indictment|complaint)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DocumentSource();

    [GeneratedRegex(@"\b(company|ministry|agency|department|administration|house|party|government|council|committee|commission|court|police|army|military|bureau|office|university|institute|foundation|network|newspaper|times|post|news|inc|corp|group|campaign)\b|(?-i:\b\p{Lu}{2,}\b)", RegexOptions.IgnoreCase)]
    private static partial Regex OrganisationSource();

    [GeneratedRegex(@"\p{Lu}\p{Ll}+(\s+\p{Lu}\.?)*\s+\p{Lu}\p{Ll}+")]
    private static partial Regex NamedPerson();

    [GeneratedRegex(@"\b(alleg\w*|accus\w*|purport\w*|claim(s|ed)? that)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Alleged();

    [GeneratedRegex(@"\b(may|might|could|likely|probably|reportedly|possibly|apparently|appears?|seems?|suggest\w*|believed to)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Hedged();
}
