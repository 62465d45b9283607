namespace Pipeline.EntityLinking.Linking;

/// <summary>How well a mention's context fits an entity's label and description, in [0, 1].</summary>
public interface IContextSimilarity
{
    string Name { get; }

    /// <summary>Prepares a document; the returned scorer is used for that document's mentions only.</summary>
    IDocumentContext ForDocument(string text);
}

public interface IDocumentContext
{
    /// <summary>Similarity of the context around [start, end) to the entity's label and description.</summary>
    double Similarity(int start, int end, string label, string description);
}
