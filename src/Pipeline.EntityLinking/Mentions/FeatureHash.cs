namespace Pipeline.EntityLinking.Mentions;

/// <summary>
/// 64-bit feature ids built without strings: a token's characters are hashed once (FNV-1a, then a SplitMix64
/// finaliser) and combined with a template number. Zero means "no feature". Pure integer arithmetic, so the ids are
/// the same on every machine and run, which the committed weights rely on.
/// </summary>
internal static class FeatureHash
{
    const ulong FnvOffset = 14695981039346656037UL;
    const ulong FnvPrime = 1099511628211UL;

    public static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return x;
    }

    public static ulong Combine(ulong a, ulong b) => Mix(a ^ ((b * 0x9E3779B97F4A7C15UL) + 0x632BE59BD9B4E019UL));

    public static ulong Feature(int template, ulong a) => NonZero(Combine((ulong)template, a));

    public static ulong Feature(int template, ulong a, ulong b) => NonZero(Combine(Combine((ulong)template, a), b));

    public static ulong Feature(int template, ulong a, ulong b, ulong c) => NonZero(Combine(Combine(Combine((ulong)template, a), b), c));

    static ulong NonZero(ulong h) => h == 0 ? 1 : h;

    /// <summary>The hash of the lower-cased characters.</summary>
    public static ulong Lower(ReadOnlySpan<char> chars)
    {
        var h = FnvOffset;
        foreach (var c in chars)
        {
            h = (h ^ ToLower(c)) * FnvPrime;
        }

        return Mix(h);
    }

    /// <summary>The hash of a short ASCII string (a constant of the feature code).</summary>
    public static ulong Of(string text) => Lower(text);

    public static char ToLower(char c) => c < 128 ? (c is >= 'A' and <= 'Z' ? (char)(c + 32) : c) : char.ToLowerInvariant(c);

    /// <summary>
    /// The word shape: upper case X, lower case x, digit d, other characters as themselves, runs longer than
    /// <paramref name="maxRun"/> cut ("Washington" is Xxxxx with 4, Xx with 1; "1832" is dddd and d).
    /// </summary>
    public static ulong Shape(ReadOnlySpan<char> chars, int maxRun)
    {
        var h = FnvOffset;
        var previous = '\0';
        var run = 0;
        foreach (var c in chars)
        {
            var s = char.IsUpper(c) ? 'X' : char.IsLower(c) ? 'x' : char.IsDigit(c) ? 'd' : char.IsLetter(c) ? 'x' : c;
            run = s == previous ? run + 1 : 1;
            previous = s;
            if (run <= maxRun)
            {
                h = (h ^ s) * FnvPrime;
            }
        }

        return Mix(h ^ (ulong)maxRun);
    }
}
