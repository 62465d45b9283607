using Microsoft.ML.Tokenizers;

namespace Pipeline.Embeddings;

/// <summary>
/// BERT input ids for one sentence: [CLS] WordPiece tokens [SEP], lower-cased. Microsoft.ML.Tokenizers' BertTokenizer
/// silently drops the symbols $ + &lt; = &gt; ^ ` | ~ (dotnet/machinelearning#7725), which the reference BERT basic
/// tokenizer keeps as tokens of their own, so they are split off here before the rest is tokenized.
/// </summary>
public sealed class WordPieceEncoder
{
    const string DroppedSymbols = "$+<=>^`|~";

    readonly BertTokenizer tokenizer;
    readonly Dictionary<char, int> symbolIds = [];
    readonly int maxTokens;

    public WordPieceEncoder(Stream vocabulary, int maxTokens)
    {
        this.maxTokens = maxTokens;
        using var reader = new StreamReader(vocabulary);
        var text = reader.ReadToEnd();
        var lines = text.Split('\n');
        for (var id = 0; id < lines.Length; id++)
        {
            var token = lines[id].TrimEnd('\r');
            if (token.Length == 1 && DroppedSymbols.Contains(token[0], StringComparison.Ordinal))
            {
                symbolIds[token[0]] = id;
            }
        }

        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        tokenizer = BertTokenizer.Create(stream, new BertOptions { LowerCaseBeforeTokenization = true });
    }

    /// <summary>The ids, with [CLS] and [SEP], truncated to the maximum length.</summary>
    public int[] Encode(string sentence)
    {
        var ids = new List<int>(sentence.Length / 3 + 2) { tokenizer.ClassificationTokenId };
        var start = 0;
        for (var i = 0; i <= sentence.Length; i++)
        {
            if (i < sentence.Length && !symbolIds.ContainsKey(sentence[i]))
            {
                continue;
            }

            if (i > start)
            {
                ids.AddRange(tokenizer.EncodeToIds(sentence[start..i], addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true));
            }

            if (i < sentence.Length)
            {
                ids.Add(symbolIds[sentence[i]]);
            }

            start = i + 1;
        }

        if (ids.Count > maxTokens - 1)
        {
            ids.RemoveRange(maxTokens - 1, ids.Count - (maxTokens - 1));
        }

        ids.Add(tokenizer.SeparatorTokenId);
        return [.. ids];
    }
}
