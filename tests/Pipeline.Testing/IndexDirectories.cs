namespace Pipeline.Testing;

/// <summary>Temporary Lucene index directories of tests, with what the search service keeps beside them.</summary>
public static class IndexDirectories
{
    /// <summary>
    /// Deletes the index directory and the watch database the search service keeps beside it by default
    /// (<c>{index}.watches.db</c>, with SQLite's -wal and -shm files).
    /// </summary>
    public static void Delete(DirectoryInfo index)
    {
        index.Delete(recursive: true);
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(index.FullName)!, index.Name + ".watches.db*"))
        {
            File.Delete(file);
        }
    }
}
