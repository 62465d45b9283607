using System.Collections.Frozen;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Linking;

/// <summary>The sports a team plays or a sentence talks about.</summary>
[Flags]
enum Sport
{
    None = 0,
    Baseball = 1,
    AmericanFootball = 2,
    Basketball = 4,
    IceHockey = 8,
    Soccer = 16,
    Cricket = 32,
    Rugby = 64,
}

/// <summary>
/// The KB's sports teams by the place their name starts with ("Boston" → Boston Red Sox, Boston Celtics, ...), and
/// the words that say which sport a sentence is about. A place name that stands for its team ("Cleveland manager
/// Eric Wedge", "England captain Andrew Strauss ... bowled") is linked to the one team of that place that plays the
/// sentence's sport; when the sentence does not narrow it to one, the mention stays NIL.
/// </summary>
sealed class SportsTeams
{
    /// <summary>Words that name or imply a sport; a role word ("manager") allows each sport that has the role.</summary>
    static readonly FrozenDictionary<string, Sport> Cues = new Dictionary<string, Sport>(StringComparer.Ordinal)
    {
        ["baseball"] = Sport.Baseball, ["mlb"] = Sport.Baseball, ["inning"] = Sport.Baseball, ["pitcher"] = Sport.Baseball,
        ["pitched"] = Sport.Baseball, ["homer"] = Sport.Baseball, ["homers"] = Sport.Baseball, ["baseman"] = Sport.Baseball,
        ["shortstop"] = Sport.Baseball, ["outfielder"] = Sport.Baseball, ["bullpen"] = Sport.Baseball, ["rbi"] = Sport.Baseball,
        ["nfl"] = Sport.AmericanFootball, ["quarterback"] = Sport.AmericanFootball, ["touchdown"] = Sport.AmericanFootball,
        ["touchdowns"] = Sport.AmericanFootball, ["linebacker"] = Sport.AmericanFootball, ["rushing"] = Sport.AmericanFootball,
        ["basketball"] = Sport.Basketball, ["nba"] = Sport.Basketball, ["rebounds"] = Sport.Basketball,
        ["hockey"] = Sport.IceHockey, ["nhl"] = Sport.IceHockey, ["puck"] = Sport.IceHockey,
        ["soccer"] = Sport.Soccer, ["fifa"] = Sport.Soccer, ["uefa"] = Sport.Soccer, ["striker"] = Sport.Soccer,
        ["midfielder"] = Sport.Soccer, ["goalkeeper"] = Sport.Soccer,
        ["cricket"] = Sport.Cricket, ["wicket"] = Sport.Cricket, ["wickets"] = Sport.Cricket, ["bowled"] = Sport.Cricket,
        ["batsman"] = Sport.Cricket, ["bowler"] = Sport.Cricket,
        ["rugby"] = Sport.Rugby, ["scrum"] = Sport.Rugby,
        ["football"] = Sport.AmericanFootball | Sport.Soccer,
        ["manager"] = Sport.Baseball | Sport.Soccer,
        ["coach"] = Sport.AmericanFootball | Sport.Basketball | Sport.IceHockey | Sport.Soccer,
        ["captain"] = Sport.Cricket | Sport.Rugby | Sport.Soccer | Sport.IceHockey,
        ["skipper"] = Sport.Cricket | Sport.Rugby | Sport.Soccer | Sport.Baseball,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Roles that, right after a place name, make it a team even in a sentence without game words.</summary>
    static readonly FrozenSet<string> Roles = new[]
    {
        "coach", "manager", "captain", "skipper", "quarterback", "pitcher", "striker", "goalkeeper", "midfielder", "batsman",
        "bowler", "baseman", "shortstop", "linebacker", "outfielder",
    }.ToFrozenSet(StringComparer.Ordinal);

    readonly Dictionary<string, List<(int Entity, Sport Sport)>> _byPlace = new(StringComparer.Ordinal);

    public SportsTeams(EntityKnowledgeBase kb)
    {
        for (var e = 0; e < kb.Count; e++)
        {
            if (kb.Types[e] is not (EntityType.Org or EntityType.Unknown or EntityType.Misc))
            {
                continue;
            }

            var description = kb.Descriptions[e];
            if (!(description.Contains("team", StringComparison.OrdinalIgnoreCase) || description.Contains("franchise", StringComparison.OrdinalIgnoreCase) ||
                  description.Contains("club", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var sport = SportOfTeam(kb.Labels[e] + " " + description);
            if (sport == Sport.None)
            {
                continue;
            }

            // Every proper prefix of the label is a place the team may be called by ("New York" of "New York Giants").
            var words = kb.Labels[e].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var n = 1; n < words.Length; n++)
            {
                var key = SurfaceForms.Key(string.Join(' ', words, 0, n));
                if (key is null)
                {
                    continue;
                }

                if (!_byPlace.TryGetValue(key, out var teams))
                {
                    _byPlace[key] = teams = [];
                }

                teams.Add((e, sport));
            }
        }
    }

    public static bool IsRole(string normalizedWord) => Roles.Contains(normalizedWord);

    public static Sport CueOf(string normalizedWord) => Cues.GetValueOrDefault(normalizedWord);

    /// <summary>Words of a team's label or description that say which sport it plays.</summary>
    static readonly (string[] Words, Sport Sport)[] TeamSports =
    [
        (["baseball"], Sport.Baseball),
        (["american football", "national football league", "football team of the university"], Sport.AmericanFootball),
        (["basketball"], Sport.Basketball),
        (["hockey"], Sport.IceHockey),
        (["association football", "soccer", "football club"], Sport.Soccer),
        (["cricket"], Sport.Cricket),
        (["rugby"], Sport.Rugby),
    ];

    static Sport SportOfTeam(string text)
    {
        var lower = text.ToLowerInvariant();
        var sport = Sport.None;
        foreach (var (words, named) in TeamSports)
        {
            if (words.Any(w => lower.Contains(w, StringComparison.Ordinal)))
            {
                sport |= named;
            }
        }

        return sport;
    }

    /// <summary>
    /// The team a place name stands for, given the sports the sentence allows: the one team of that place that plays
    /// one of them; -1 when there is none or more than one ("Boston" with "manager": the Red Sox or Boston United).
    /// </summary>
    public int TeamOf(string placeKey, Sport allowed)
    {
        if (!_byPlace.TryGetValue(placeKey, out var teams))
        {
            return -1;
        }

        var found = -1;
        foreach (var (entity, sport) in teams)
        {
            if ((sport & allowed) == 0 || entity == found)
            {
                continue;
            }

            if (found >= 0)
            {
                return -1;
            }

            found = entity;
        }

        return found;
    }
}
