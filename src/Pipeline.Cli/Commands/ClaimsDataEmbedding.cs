using System.Security.Cryptography;
using System.Text;
using Pipeline.ClaimTagging.Offline;
using Pipeline.Embeddings;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// Embeds a labelled data set with a progress bar. The vectors are cached in the temp folder under a hash of the
/// model and the texts, so retraining or re-evaluating the same file does not embed it again.
/// </summary>
static class ClaimsDataEmbedding
{
    const int Chunk = 512;

    public static float[][] Embed(ISentenceEmbedder embedder, IReadOnlyList<string> texts, string label, TextWriter progressOutput)
    {
        var cache = CachePath(embedder, texts);
        if (File.Exists(cache) && TryRead(cache, texts.Count, embedder.Dimensions) is { } cached)
        {
            return cached;
        }

        var vectors = new float[texts.Count][];
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(progressOutput) });
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask($"Embedding {label}", maxValue: texts.Count);
                for (var first = 0; first < texts.Count; first += Chunk)
                {
                    var count = Math.Min(Chunk, texts.Count - first);
                    var chunk = embedder.Embed([.. texts.Skip(first).Take(count)]);
                    chunk.CopyTo(vectors, first);
                    task.Increment(count);
                }
            });

        Write(cache, vectors);
        return vectors;
    }

    static string CachePath(ISentenceEmbedder embedder, IReadOnlyList<string> texts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(embedder.ModelId + "\n"));
        foreach (var text in texts)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        }

        var directory = Path.Combine(Path.GetTempPath(), "pipeline-embeddings");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, Convert.ToHexStringLower(hash.GetHashAndReset()) + ".bin");
    }

    static float[][]? TryRead(string path, int count, int dimensions)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != count * dimensions * sizeof(float))
        {
            return null;
        }

        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            vectors[i] = new float[dimensions];
            Buffer.BlockCopy(bytes, i * dimensions * sizeof(float), vectors[i], 0, dimensions * sizeof(float));
        }

        return vectors;
    }

    static void Write(string path, float[][] vectors)
    {
        using var stream = File.Create(path);
        foreach (var vector in vectors)
        {
            var bytes = new byte[vector.Length * sizeof(float)];
            Buffer.BlockCopy(vector, 0, bytes, 0, bytes.Length);
            stream.Write(bytes);
        }
    }

    /// <summary>Features of a labelled file: neighbours are the sentences with the adjacent ids (debate order).</summary>
    public static float[][] Features(IReadOnlyList<LabelledSentence> data, float[][] embeddings, bool context, int ngramBuckets, float[][]? second = null)
    {
        var (previous, next) = SentenceFeatures.ById([.. data.Select(d => d.Id)]);
        return SentenceFeatures.Build([.. data.Select(d => d.Text)], embeddings, context, previous, next, ngramBuckets, second);
    }
}
