using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Indexing.Writing;

namespace Pipeline.Indexing.Consumers;

public sealed class ArticleIngestedBatchConsumer(IndexWriteCoalescer writer, IOptions<IndexingOptions> options, TimeProvider clock)
    : IndexBatchConsumer<ArticleIngested>(writer, options, clock);
