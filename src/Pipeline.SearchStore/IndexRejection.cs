namespace Pipeline.SearchStore;

/// <summary>A message whose document the store refused, and why; the rest of its write went through.</summary>
public sealed record IndexRejection(object Message, string ArticleId, string Reason);
