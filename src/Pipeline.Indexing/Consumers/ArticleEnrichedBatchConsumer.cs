using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Indexing.Writing;

namespace Pipeline.Indexing.Consumers;

public sealed class ArticleEnrichedBatchConsumer(IndexWriteCoalescer writer, IOptions<IndexingOptions> options, TimeProvider clock)
    : IndexBatchConsumer<ArticleEnriched>(writer, options, clock);
