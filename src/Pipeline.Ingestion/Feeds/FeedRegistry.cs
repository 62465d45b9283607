using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pipeline.Ingestion.Articles;

namespace Pipeline.Ingestion.Feeds;

/// <summary>
/// The feeds the service polls: the configured ones plus those added through the API, with their poll state, kept in
/// <c>feeds.json</c> in the data directory (written whole to a temporary file and renamed, so a crash leaves the old
/// or the new list, never half of one).
/// </summary>
public sealed class FeedRegistry
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    readonly Lock _gate = new();
    readonly Dictionary<string, FeedState> _feeds = new(StringComparer.Ordinal);
    readonly string? _path;

    public FeedRegistry(IOptions<FeedOptions> options, IOptions<IngestionOptions> ingestion)
    {
        if (ingestion.Value.StatePath is { } directory)
        {
            Directory.CreateDirectory(directory);
            _path = Path.Combine(directory, "feeds.json");
            if (File.Exists(_path))
            {
                foreach (var feed in JsonSerializer.Deserialize<List<FeedState>>(File.ReadAllText(_path), Json) ?? [])
                {
                    _feeds[feed.Id] = feed;
                }
            }
        }

        foreach (var source in options.Value.Sources)
        {
            if (!ArticleNormalizer.TryCanonicalizeUrl(source.Url, out var url))
            {
                throw new OptionsValidationException(FeedOptions.SectionName, typeof(FeedOptions), [$"{FeedOptions.SectionName}:Sources: '{source.Url}' is not an http(s) URL."]);
            }

            if (!_feeds.ContainsKey(IdOf(url)))
            {
                _feeds[IdOf(url)] = new FeedState { Id = IdOf(url), Url = url, Name = source.Name, Origin = "configuration" };
            }
        }

        Save();
    }

    public static string IdOf(string canonicalUrl) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalUrl)).AsSpan(0, 6));

    public IReadOnlyList<FeedState> All()
    {
        lock (_gate)
        {
            return [.. _feeds.Values.OrderBy(f => f.Url, StringComparer.Ordinal)];
        }
    }

    public FeedState? Find(string id)
    {
        lock (_gate)
        {
            return _feeds.GetValueOrDefault(id);
        }
    }

    /// <summary>Adds a feed (by its canonical URL); returns the existing one when it is already there.</summary>
    public (FeedState Feed, bool Added) Add(string canonicalUrl, string? name)
    {
        lock (_gate)
        {
            var id = IdOf(canonicalUrl);
            if (_feeds.TryGetValue(id, out var existing))
            {
                return (existing, false);
            }

            var feed = new FeedState { Id = id, Url = canonicalUrl, Name = name, Origin = "api" };
            _feeds[id] = feed;
            SaveLocked();
            return (feed, true);
        }
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            var removed = _feeds.Remove(id);
            SaveLocked();
            return removed;
        }
    }

    /// <summary>Changes a feed's state under the lock and persists it.</summary>
    public void Update(FeedState feed, Action<FeedState> change)
    {
        lock (_gate)
        {
            change(feed);
            if (_feeds.ContainsKey(feed.Id))
            {
                SaveLocked();
            }
        }
    }

    void Save()
    {
        lock (_gate)
        {
            SaveLocked();
        }
    }

    void SaveLocked()
    {
        if (_path is null)
        {
            return;
        }

        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(_feeds.Values.ToList(), Json));
        File.Move(temporary, _path, overwrite: true);
    }
}
