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

    /// <summary>
    /// The source as written in the sentence and its kind; the author when the sentence names none. A speaker ("X said
    /// that ...", "..., X told CNN") is the source even when an outlet relays it ("..., according to CNN"): the
    /// relay is kept in the source text, but the kind is the speaker's.
    /// </summary>
    public static ClaimAttribution AttributionOf(string sentence)
    {
        var according = AccordingTo().Match(sentence);
        var relay = according.Success ? according.Groups["source"] : null;
        foreach (Match speech in ReportingClause().Matches(sentence))
        {
            var source = speech.Groups["source"];
            var text = source.Value.Trim();
            var insideRelay = relay is not null && source.Index < relay.Index + relay.Length && relay.Index < source.Index + source.Length;
            if (text.Length > 0 && !NotASpeaker().IsMatch(text) && !insideRelay)
            {
                var told = speech.Groups["told"].Success ? " told " + speech.Groups["told"].Value.Trim() : "";
                var relayed = relay is null ? "" : ", according to " + relay.Value.Trim();
                return new(text + told + relayed, KindOf(text));
            }
        }

        if (relay is not null)
        {
            var source = relay.Value.Trim();
            return new(source, KindOf(source));
        }

        return new("the author", ClaimAttribution.Author);
    }

    /// <summary>
    /// A byline or dateline ("Jake Smith on January 30, 2024 (Daily Caller News Foundation)", "By Jane Doe and John
    /// Roe, Reuters", "Updated 5:30 PM ET, Tue January 30, 2024"): names, a date and an outlet, not a statement.
    /// </summary>
    public static bool IsByline(string sentence) => Byline().IsMatch(sentence) || Dateline().IsMatch(sentence);

    /// <summary>
    /// A source's silence, the stock line of news reports ("The White House did not immediately respond to a request
    /// for comment.", "Meta declined to comment."): nothing in it to check.
    /// </summary>
    public static bool IsNoComment(string sentence) => NoComment().IsMatch(sentence);

    /// <summary>
    /// A statement of a recognised type (promise, accusation, intent, cause, prediction, quantity) that the sentence
    /// attributes to a source. The classifier learnt check-worthiness from debate transcripts, where speakers talk in
    /// the first person; reported speech, the backbone of news, is rare there, so this rule counts it as a claim.
    /// </summary>
    public static bool IsReportedClaim(string sentence) =>
        TypeOf(sentence).Cued && AttributionOf(sentence).Kind != ClaimAttribution.Author && !Hedged().IsMatch(sentence);

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

    const string Name = @"\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}";
    const string Date = @"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*\.?,?\s+)?(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\w*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\w*\.?,?\s+\d{4}|\d{4}-\d\d-\d\d)";
    const string Time = @"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d\d\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s+\p{Lu}{2,4})?)?";
    const string Outlet = @"(?:\s*(?:\([^()]{2,80}\)|[,|–—-]\s*\p{Lu}[\p{L}&'’.-]*(?:\s+\p{Lu}[\p{L}&'’.-]*){0,5}))?";

    // Names, then an optional date and outlet, and nothing else; either "By" or a date must be there, or any short
    // capitalised heading would count.
    [GeneratedRegex(@"^(?:By\s+" + Name + @"(?:\s*(?:,|and|&)\s*" + Name + @")*(?:\s*(?:,|\bon\b|[|–—-])?\s*" + Date + Time + ")?"
        + "|" + Name + @"(?:\s*(?:,|and|&)\s*" + Name + @")*\s*(?:,|\bon\b|[|–—-])?\s*" + Date + Time + ")" + Outlet + @"\s*$")]
    private static partial Regex Byline();

    // The verb of silence, then the end of the sentence or what went unanswered (comment, requests, calls, ...).
    [GeneratedRegex(@"^[^,;]{0,80}?\b(?:did not|didn't|does not|doesn't|has not|hasn't|have not|haven't|declined to|refused to|could not be|couldn't be|was not|were not)\s+(?:immediately\s+)?(?:respond(?:ed)?|return(?:ed)?|reply|replied|comment(?:ed)?|reached|available)\b(?:[.!]?\s*$|[^.;]{0,60}?\b(?:comment|messages?|requests?|inquir\w*|calls?|emails?)\b[^;]{0,40}$)", RegexOptions.IgnoreCase)]
    private static partial Regex NoComment();

    // "Updated 5:30 PM ET, Tue January 30, 2024", "Published January 30, 2024".
    [GeneratedRegex(@"^(?:(?:Updated|Published|Posted|Last updated)(?: on)?:?\s*)?" + @"(?:\d{1,2}[:.]\d\d\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s+\p{Lu}{2,4})?,?\s*)?" + Date + Time + @"\s*$")]
    private static partial Regex Dateline();

    // Pronouns, the speaker's own words ("... I said"), and relative clauses ("..., which analysts said was wrong"): not a source.
    [GeneratedRegex(@"^(?:(he|she|it|they|this|that)$|(which|who|whom|whose|that|what)\b)|\b(?:I|[Ww]e|[Yy]ou)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotASpeaker();

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
