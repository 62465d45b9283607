namespace Pipeline.Testing;

/// <summary>Temporary Lucene index directories of tests, with what the search service keeps beside them.</summary>
public static class IndexDirectories
{
    /// <summary>The watch database the search service keeps beside an index by default (<c>{index}.watches.db</c>).</summary>
    public static string WatchDatabase(DirectoryInfo index) => index.FullName + ".watches.db";

    /// <summary>Deletes the index directory and the watch database beside it (with SQLite's -wal and -shm files).</summary>
    public static void Delete(DirectoryInfo index)
    {
        index.Delete(recursive: true);
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(index.FullName)!, index.Name + ".watches.db*"))
        {
            File.Delete(file);
        }
    }
}
