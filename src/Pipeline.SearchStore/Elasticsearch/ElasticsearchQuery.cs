using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.SearchStore.Elasticsearch;

/// <summary>
/// The query model as Elasticsearch query DSL, the same semantics as the Lucene store: query_string over title^3 and
/// text (AND), filters in bool.filter, sort with the article id as tiebreak and search_after for cursors, terms and
/// date_histogram aggregations for facets, and html-encoded highlights in &lt;mark&gt;.
/// </summary>
public static class ElasticsearchQuery
{
    const string FacetPrefix = "facet_";
    const string PivotPrefix = "pivot_";
    const string ColumnsAggregation = "columns";
    const string LabelAggregation = "label";
    const string SumAggregation = "sum";

    /// <summary>The search body; enrichment fields filter and facet on their <paramref name="exact"/> (keyword) field.</summary>
    public static JsonObject Build(SearchRequest request, SearchCursor? cursor, IReadOnlyDictionary<string, string>? exact = null)
    {
        exact ??= new Dictionary<string, string>();
        JsonNode must = string.IsNullOrWhiteSpace(request.Query)
            ? new JsonObject { ["match_all"] = new JsonObject() }
            : new JsonObject
            {
                ["query_string"] = new JsonObject
                {
                    ["query"] = request.Query,
                    ["fields"] = new JsonArray("title^3", "text"),
                    ["default_operator"] = "and",
                },
            };
        var filters = new JsonArray(new JsonObject { ["term"] = new JsonObject { ["has_article"] = true } });
        foreach (var filter in request.Filters)
        {
            filters.Add(Filter(filter, exact));
        }

        var body = new JsonObject
        {
            ["size"] = request.Size + 1,
            ["track_total_hits"] = true,
            ["_source"] = new JsonArray([.. ElasticsearchDocument.SourceFields.Split(',').Select(f => (JsonNode)f)]),
            ["query"] = new JsonObject { ["bool"] = new JsonObject { ["must"] = new JsonArray(must), ["filter"] = filters } },
            ["sort"] = Sort(request.Sort),
        };
        if (cursor is null)
        {
            body["from"] = request.From;
        }
        else
        {
            body["search_after"] = cursor.Sort == SearchSort.Relevance
                ? new JsonArray((float)cursor.Value, cursor.ArticleId)
                : new JsonArray((long)cursor.Value, cursor.ArticleId);
        }

        if (request.Highlight && !string.IsNullOrWhiteSpace(request.Query))
        {
            body["highlight"] = new JsonObject
            {
                ["encoder"] = "html",
                ["pre_tags"] = new JsonArray("<mark>"),
                ["post_tags"] = new JsonArray("</mark>"),
                ["fields"] = new JsonObject
                {
                    ["title"] = new JsonObject { ["number_of_fragments"] = 0 },
                    ["text"] = new JsonObject { ["fragment_size"] = 160, ["number_of_fragments"] = 2 },
                },
            };
        }

        if (request.Facets.Count > 0)
        {
            var aggregations = new JsonObject();
            for (var i = 0; i < request.Facets.Count; i++)
            {
                aggregations[FacetPrefix + i.ToString(CultureInfo.InvariantCulture)] = Aggregation(request.Facets[i], exact);
            }

            body["aggs"] = aggregations;
        }

        return body;
    }

    static string FieldOf(string name, IReadOnlyDictionary<string, string> exact) =>
        exact.TryGetValue(name, out var field) ? field : name == SearchFields.Outlet.Name ? "source" : name;

    static JsonObject Filter(SearchFilter filter, IReadOnlyDictionary<string, string> exact)
    {
        var field = FieldOf(filter.Field, exact);
        return filter switch
        {
            TermsFilter { RequireAll: true } all => new JsonObject
            {
                ["bool"] = new JsonObject
                {
                    ["filter"] = new JsonArray([.. all.Values.Select(v => (JsonNode)new JsonObject { ["term"] = new JsonObject { [field] = v } })]),
                },
            },
            TermsFilter any => new JsonObject { ["terms"] = new JsonObject { [field] = new JsonArray([.. any.Values.Select(v => (JsonNode)v)]) } },
            NumberRangeFilter range => new JsonObject { ["range"] = new JsonObject { [field] = Bounds("gte", range.Min, "lte", range.Max) } },
            DateRangeFilter dates => new JsonObject
            {
                ["range"] = new JsonObject
                {
                    [field] = Bounds("gte", dates.From?.ToUnixTimeMilliseconds(), "lt", dates.To?.ToUnixTimeMilliseconds()).Also(o => o["format"] = "epoch_millis"),
                },
            },
            _ => throw new InvalidSearchRequestException(filter.Field, $"Unknown filter {filter.GetType().Name}."),
        };
    }

    static JsonObject Bounds<T>(string lower, T? min, string upper, T? max)
        where T : struct
    {
        var bounds = new JsonObject();
        if (min is { } from)
        {
            bounds[lower] = JsonValue.Create(from);
        }

        if (max is { } to)
        {
            bounds[upper] = JsonValue.Create(to);
        }

        return bounds;
    }

    static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }

    static JsonArray Sort(SearchSort sort) => sort switch
    {
        // A missing date sorts as 0, as in the Lucene store.
        SearchSort.Newest => new JsonArray(new JsonObject { ["published"] = new JsonObject { ["order"] = "desc", ["missing"] = 0 } }, new JsonObject { ["id"] = "asc" }),
        SearchSort.Oldest => new JsonArray(new JsonObject { ["published"] = new JsonObject { ["order"] = "asc", ["missing"] = 0 } }, new JsonObject { ["id"] = "asc" }),
        _ => new JsonArray(new JsonObject { ["_score"] = "desc" }, new JsonObject { ["id"] = "asc" }),
    };

    static JsonObject Aggregation(FacetRequest facet, IReadOnlyDictionary<string, string> exact)
    {
        if (SearchFields.Find(facet.Field)?.Kind == SearchFieldKind.Date)
        {
            var (interval, format) = facet.Interval switch
            {
                DateInterval.Day => ("day", "yyyy-MM-dd"),
                DateInterval.Year => ("year", "yyyy"),
                _ => ("month", "yyyy-MM"),
            };
            var histogram = new JsonObject
            {
                ["date_histogram"] = new JsonObject { ["field"] = "published", ["calendar_interval"] = interval, ["format"] = format, ["min_doc_count"] = 1 },
            };
            if (facet.Sum is { } sum)
            {
                histogram["aggs"] = new JsonObject { [SumAggregation] = new JsonObject { ["sum"] = new JsonObject { ["field"] = sum } } };
            }

            return histogram;
        }

        var terms = new JsonObject
        {
            ["terms"] = new JsonObject
            {
                ["field"] = FieldOf(facet.Field, exact),
                ["size"] = facet.Size,
                // On more than one shard, terms counts are exact only if every shard returns every candidate.
                ["shard_size"] = Math.Max(facet.Size * 10, 1_000),
                ["order"] = new JsonArray(new JsonObject { ["_count"] = "desc" }, new JsonObject { ["_key"] = "asc" }),
            },
        };
        if (facet.Field == SearchFields.Entity.Name || facet.Field == SearchFields.ClaimEntity.Name)
        {
            terms["aggs"] = new JsonObject
            {
                [LabelAggregation] = new JsonObject { ["top_hits"] = new JsonObject { ["size"] = 1, ["_source"] = new JsonArray("entity_label") } },
            };
        }

        return terms;
    }

    /// <summary>The enrichment fields a request filters or facets on, each with its <c>.keyword</c> companion: the fields whose mappings to look up.</summary>
    public static IReadOnlyList<string> EnrichmentFieldsOf(SearchRequest request) =>
        [.. request.Filters.Select(f => f.Field).Concat(request.Facets.Select(f => f.Field))
            .Where(EnrichmentSearchField.Claims)
            .Distinct(StringComparer.Ordinal)
            .SelectMany(f => new[] { f, f + ".keyword" })];

    /// <summary>
    /// The exact field of each enrichment field of the request, from the answer of <c>GET {index}/_mapping/field/…</c>:
    /// the <c>.keyword</c> sub-field of a full-text field, else the field itself when it is a keyword; refuses
    /// fields no mapping makes exact (never declared filterable or facetable, or not indexed yet), and facets on fields
    /// whose mapping meta lists uses without "facetable" (fields mapped before the meta was written count as facetable).
    /// </summary>
    public static Dictionary<string, string> ResolveEnrichmentFields(SearchRequest request, JsonElement? mappings)
    {
        var keywords = new HashSet<string>(StringComparer.Ordinal);
        var uses = new Dictionary<string, string>(StringComparer.Ordinal);
        if (mappings is { ValueKind: JsonValueKind.Object } root)
        {
            foreach (var index in root.EnumerateObject())
            {
                if (!index.Value.TryGetProperty("mappings", out var fields) || fields.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var field in fields.EnumerateObject())
                {
                    if (!field.Value.TryGetProperty("mapping", out var mapping))
                    {
                        continue;
                    }

                    foreach (var leaf in mapping.EnumerateObject())
                    {
                        if (leaf.Value.TryGetProperty("type", out var type) && type.GetString() == "keyword")
                        {
                            keywords.Add(field.Name);
                        }

                        if (leaf.Value.TryGetProperty("meta", out var meta) && meta.TryGetProperty(ElasticsearchEnrichmentFields.UsesMetaKey, out var declared))
                        {
                            uses[field.Name] = declared.GetString() ?? "";
                        }
                    }
                }
            }
        }

        var exact = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Exact(string name) => keywords.Contains(name + ".keyword") ? name + ".keyword" : keywords.Contains(name) ? name : null;
        foreach (var filter in request.Filters.Where(f => EnrichmentSearchField.Claims(f.Field)))
        {
            exact[filter.Field] = Exact(filter.Field) ?? throw EnrichmentSearchField.NotDeclared(filter.Field, filter.Field, "filterable");
        }

        foreach (var facet in request.Facets.Where(f => EnrichmentSearchField.Claims(f.Field)))
        {
            var facetable = !uses.TryGetValue(facet.Field, out var declared) || declared.Split(',').Contains("facetable", StringComparer.Ordinal);
            exact[facet.Field] = facetable ? Exact(facet.Field) ?? throw EnrichmentSearchField.NotDeclared(facet.Field, "facet", "facetable") : throw EnrichmentSearchField.NotDeclared(facet.Field, "facet", "facetable");
        }

        return exact;
    }

    /// <summary>
    /// The facets a pivot's sides need, after the request's own: a pivot is counted in two steps, first the top values
    /// of each side (these facets), then <see cref="PivotBody"/> counts the cells of exactly those values. A pivot of a
    /// facet by itself (entity x entity) asks for that side once (<see cref="PivotSides"/> reads it back for both).
    /// </summary>
    public static SearchRequest WithPivotSides(SearchRequest request) =>
        request with { Facets = [.. request.Facets, .. request.Pivots.SelectMany(p => p.Columns == p.Rows ? new[] { p.Rows } : [p.Rows, p.Columns])] };

    /// <summary>Each pivot's rows and columns from the side facets <see cref="WithPivotSides"/> asked for, in their order.</summary>
    public static IReadOnlyList<(IReadOnlyList<FacetBucket> Rows, IReadOnlyList<FacetBucket> Columns)> PivotSides(SearchRequest request, IReadOnlyList<FacetResult> sideFacets)
    {
        var sides = new List<(IReadOnlyList<FacetBucket> Rows, IReadOnlyList<FacetBucket> Columns)>();
        var next = 0;
        foreach (var pivot in request.Pivots)
        {
            var rows = sideFacets[next++].Buckets;
            sides.Add((rows, pivot.Columns == pivot.Rows ? rows : sideFacets[next++].Buckets));
        }

        return sides;
    }

    /// <summary>
    /// The second step of the pivots: the same query and filters, no hits, and per pivot an aggregation of its rows
    /// (the date histogram, or a terms aggregation over the row values found) with a terms aggregation over the column
    /// values found inside each row: exact counts of every cell.
    /// </summary>
    public static JsonObject PivotBody(SearchRequest request, IReadOnlyList<(IReadOnlyList<FacetBucket> Rows, IReadOnlyList<FacetBucket> Columns)> sides, IReadOnlyDictionary<string, string>? exact = null)
    {
        exact ??= new Dictionary<string, string>();
        var query = Build(request with { Facets = [], Pivots = [] }, null, exact)["query"]!.DeepClone();
        var aggregations = new JsonObject();
        for (var i = 0; i < request.Pivots.Count; i++)
        {
            var pivot = request.Pivots[i];
            var rows = SearchFields.Find(pivot.Rows.Field)?.Kind == SearchFieldKind.Date
                ? Aggregation(pivot.Rows with { Sum = null }, exact)
                : Include(pivot.Rows, sides[i].Rows, exact);
            rows["aggs"] = new JsonObject { [ColumnsAggregation] = Include(pivot.Columns, sides[i].Columns, exact) };
            aggregations[PivotPrefix + i.ToString(CultureInfo.InvariantCulture)] = rows;
        }

        return new JsonObject { ["size"] = 0, ["track_total_hits"] = false, ["query"] = query, ["aggs"] = aggregations };
    }

    static JsonObject Include(FacetRequest side, IReadOnlyList<FacetBucket> values, IReadOnlyDictionary<string, string> exact) => new()
    {
        ["terms"] = new JsonObject
        {
            ["field"] = FieldOf(side.Field, exact),
            ["include"] = new JsonArray([.. values.Select(v => (JsonNode)v.Value)]),
            ["size"] = Math.Max(1, values.Count),
        },
    };

    /// <summary>Reads the cells of each pivot back from the answer to <see cref="PivotBody"/>.</summary>
    public static IReadOnlyList<PivotResult> Pivots(SearchRequest request, IReadOnlyList<(IReadOnlyList<FacetBucket> Rows, IReadOnlyList<FacetBucket> Columns)> sides, JsonElement response)
    {
        var results = new List<PivotResult>();
        for (var i = 0; i < request.Pivots.Count; i++)
        {
            var (rows, columns) = sides[i];
            var rowIndex = rows.Select((b, k) => (b.Value, k)).ToDictionary(x => x.Value, x => x.k, StringComparer.Ordinal);
            var columnIndex = columns.Select((b, k) => (b.Value, k)).ToDictionary(x => x.Value, x => x.k, StringComparer.Ordinal);
            var cells = new long[rows.Count, columns.Count];
            var aggregation = response.GetProperty("aggregations").GetProperty(PivotPrefix + i.ToString(CultureInfo.InvariantCulture));
            foreach (var row in aggregation.GetProperty("buckets").EnumerateArray())
            {
                var key = row.TryGetProperty("key_as_string", out var date) ? date.GetString()! : row.GetProperty("key").ToString();
                if (!rowIndex.TryGetValue(key, out var r))
                {
                    continue;
                }

                foreach (var column in row.GetProperty(ColumnsAggregation).GetProperty("buckets").EnumerateArray())
                {
                    if (columnIndex.TryGetValue(column.GetProperty("key").ToString(), out var c))
                    {
                        cells[r, c] = column.GetProperty("doc_count").GetInt64();
                    }
                }
            }

            results.Add(PivotResult.From(request.Pivots[i], rows, columns, cells));
        }

        return results;
    }

    /// <summary>Reads the facets back from the aggregations, in the order they were requested.</summary>
    public static IReadOnlyList<FacetResult> Facets(SearchRequest request, JsonElement response)
    {
        if (request.Facets.Count == 0 || !response.TryGetProperty("aggregations", out var aggregations))
        {
            return [];
        }

        var results = new List<FacetResult>();
        for (var i = 0; i < request.Facets.Count; i++)
        {
            var facet = request.Facets[i];
            var buckets = aggregations.GetProperty(FacetPrefix + i.ToString(CultureInfo.InvariantCulture)).GetProperty("buckets");
            results.Add(new FacetResult(facet.Field, [.. buckets.EnumerateArray().Select(b => Bucket(facet, b))]));
        }

        return results;
    }

    static FacetBucket Bucket(FacetRequest facet, JsonElement bucket)
    {
        var count = bucket.GetProperty("doc_count").GetInt64();
        if (bucket.TryGetProperty("key_as_string", out var date))
        {
            return new FacetBucket(date.GetString()!, count)
            {
                Sum = bucket.TryGetProperty(SumAggregation, out var sum) ? (long)Math.Round(sum.GetProperty("value").GetDouble()) : null,
            };
        }

        var key = bucket.GetProperty("key").ToString();
        string? label = null;
        if (bucket.TryGetProperty(LabelAggregation, out var top))
        {
            var prefix = key + ArticleFacts.Separator;
            label = top.GetProperty("hits").GetProperty("hits").EnumerateArray()
                .SelectMany(h => h.GetProperty("_source").TryGetProperty("entity_label", out var labels) ? labels.EnumerateArray() : Enumerable.Empty<JsonElement>())
                .Select(l => l.GetString() ?? "")
                .FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
        }

        return new FacetBucket(key, count, label);
    }

    /// <summary>Name suggestions: a prefix filter on the suggestion terms and a terms aggregation over the matching ones.</summary>
    public static JsonObject Suggest(string normalizedPrefix) => new()
    {
        ["size"] = 0,
        ["query"] = new JsonObject
        {
            ["bool"] = new JsonObject
            {
                ["filter"] = new JsonArray(
                    new JsonObject { ["term"] = new JsonObject { ["has_article"] = true } },
                    new JsonObject { ["prefix"] = new JsonObject { ["entity_suggest"] = normalizedPrefix } }),
            },
        },
        ["aggs"] = new JsonObject
        {
            ["suggest"] = new JsonObject
            {
                // The normalised prefix has only letters, digits and spaces: nothing to escape in the regular expression.
                ["terms"] = new JsonObject { ["field"] = "entity_suggest", ["size"] = 200, ["include"] = normalizedPrefix + ".*" },
            },
        },
    };
}
