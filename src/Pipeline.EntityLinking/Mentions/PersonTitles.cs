namespace Pipeline.EntityLinking.Mentions;

/// <summary>
/// Titles written before a person's name ("Mr.", "Professor", "Justice", "General"; the list is Data/person-titles.txt). They are not part of the named
/// mention (as in CoNLL and OntoNotes, and as the KB names people), so GUM's spans drop them, and the tagger gets a
/// feature for them: with few training examples per title, the list tells it what the examples share. Titles of
/// nobility that are part of how someone is named (Lord Byron, Sir Isaac Newton, Saint Jerome) are not in it.
/// </summary>
public static class PersonTitles
{
    static readonly HashSet<string> Titles = new(WordLists.PersonTitles, StringComparer.OrdinalIgnoreCase);

    static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> BySpan = Titles.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether the word (without a final dot, any case) is a title.</summary>
    public static bool Contains(ReadOnlySpan<char> word) => BySpan.Contains(word.TrimEnd('.'));

    /// <summary>
    /// The first token of the name in a person span that opens with titles and the words that qualify them ("Chinese
    /// Foreign Minister [Wang Yi]", "Mr. [Smith]", "U.S. President [Joe Biden]"): the token after the last title that
    /// only capitalised words, dots and hyphens precede, or <paramref name="first"/> when there is none.
    /// </summary>
    public static int NameStart(string text, IReadOnlyList<(int Start, int End)> tokens, int first, int last)
    {
        var start = first;
        for (var t = first; t < last; t++)
        {
            var token = text.AsSpan(tokens[t].Start, tokens[t].End - tokens[t].Start);
            if (Contains(token))
            {
                start = t + 1;
            }
            else if (!char.IsUpper(token[0]) && token is not ("." or "-"))
            {
                break;
            }
        }

        while (start < last && text[tokens[start].Start] is '.' or '-')
        {
            start++;
        }

        return start;
    }
}
