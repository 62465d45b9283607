using Pipeline.Contracts;
using Pipeline.SearchStore;

namespace Pipeline.Indexing.Consumers;

public sealed class ArticleEnrichedBatchConsumer(IArticleIndex index) : IndexBatchConsumer<ArticleEnriched>(index);
