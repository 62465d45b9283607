using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.EntityLinking.Mentions;

/// <summary>
/// A named mention found by <see cref="NerTagger"/>: tokens FirstToken..LastToken (inclusive) of the token list it was
/// given, its type, and a confidence in (0, 1) that grows with how much the tagger would lose by leaving any of its
/// tokens out of a name (calibrated on the GUM dev split as the chance that the span is a named mention).
/// </summary>
public readonly record struct NamedSpan(int FirstToken, int LastToken, EntityType Type, float Score);
