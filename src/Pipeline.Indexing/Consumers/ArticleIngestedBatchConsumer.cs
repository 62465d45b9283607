using Pipeline.Contracts;
using Pipeline.SearchStore;

namespace Pipeline.Indexing.Consumers;

public sealed class ArticleIngestedBatchConsumer(IArticleIndex index) : IndexBatchConsumer<ArticleIngested>(index);
