using Pipeline.Contracts;

namespace Pipeline.SearchStore;

/// <summary>A message whose document the store refused, and why; the rest of its write went through.</summary>
public sealed record IndexRejection(IArticleMessage Message, string ArticleId, string Reason);
