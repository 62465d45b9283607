using System.Diagnostics;
using Pipeline.EntityLinking.KnowledgeBase;

namespace Pipeline.Cli.Bench;

/// <summary>Opening a KB (<see cref="KnowledgeBaseLoader"/>, as the service does) and timing alias lookups in it.</summary>
public static class KnowledgeBaseProbe
{
    public sealed record Result(int Entities, double OpenSeconds, double LookupSeconds, double LookupsPerSecond);

    /// <summary>Opens the KB at <paramref name="path"/> (a <c>kb build</c> directory, a <c>.kb</c> file, or TSV sources), then looks up <paramref name="lookups"/> keys.</summary>
    public static Result Measure(string path, int lookups)
    {
        var started = Stopwatch.GetTimestamp();
        using var kb = KnowledgeBaseLoader.Load(path, cacheDirectory: null).KnowledgeBase;
        var openSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var random = new Random(7);
        List<string> sample = [.. Enumerable.Range(0, 100_000).Select(_ => SurfaceForms.Key(kb.Labels[random.Next(kb.Count)])).OfType<string>()];
        started = Stopwatch.GetTimestamp();
        var (perSecond, _) = Lookups(kb, sample, lookups);
        return new Result(kb.Count, openSeconds, Stopwatch.GetElapsedTime(started).TotalSeconds, perSecond);
    }

    /// <summary>Random lookups of the sample keys (every other one changed so it is not found) on two threads, as the linker does: each hit reads its top candidate's type.</summary>
    public static (double PerSecond, double Found) Lookups(EntityKnowledgeBase kb, IReadOnlyList<string> sample, int lookups)
    {
        var keys = sample.SelectMany(k => new[] { k, k + " x" }).ToArray();
        var found = 0L;
        var started = Stopwatch.GetTimestamp();
        Parallel.For(0, 2, worker =>
        {
            var random = new Random(worker);
            var hits = 0L;
            for (var i = 0; i < lookups / 2; i++)
            {
                var candidates = kb.Candidates(keys[random.Next(keys.Length)]);
                if (!candidates.IsEmpty)
                {
                    hits += kb.Types[candidates[0].Entity] == EntityType.Unknown ? 0 : 1;
                }
            }

            Interlocked.Add(ref found, hits);
        });
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (lookups / seconds, (double)found / lookups);
    }
}
