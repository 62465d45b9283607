namespace Pipeline.SearchStore;

/// <summary>
/// A condition on the article, named by a <see cref="SearchFields"/> field. All filters of a request must hold for the
/// same article (AND); claim filters each hold for some claim of the article, not necessarily the same one.
/// </summary>
public abstract record SearchFilter(string Field);

/// <summary>The keyword field has any of <see cref="Values"/> (or all of them, with <see cref="RequireAll"/>).</summary>
public sealed record TermsFilter(string Field, IReadOnlyList<string> Values, bool RequireAll = false) : SearchFilter(Field);

/// <summary>The number field is at least <see cref="Min"/> and at most <see cref="Max"/> (both inclusive, either open).</summary>
public sealed record NumberRangeFilter(string Field, double? Min, double? Max = null) : SearchFilter(Field);

/// <summary>The date field is at or after <see cref="From"/> and before <see cref="To"/> (either open).</summary>
public sealed record DateRangeFilter(string Field, DateTimeOffset? From, DateTimeOffset? To) : SearchFilter(Field);
