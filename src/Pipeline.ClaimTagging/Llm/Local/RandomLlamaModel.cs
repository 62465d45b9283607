using System.Globalization;

namespace Pipeline.ClaimTagging.Llm.Local;

/// <summary>
/// A tiny Llama-architecture model with random weights, written as GGUF: what llama.cpp needs to load and run it (the
/// hyperparameters, a SentencePiece-style vocabulary of control tokens and the 256 byte tokens, so that any text can be
/// tokenised and any JSON generated, a ChatML chat template, and every tensor of the architecture). It says nothing
/// meaningful: it exists so that the local-model path (loading, chat template, grammar-constrained sampling, timeouts)
/// runs for real in the tests and can be tried without downloading a model (<c>pipeline llm random-model</c>).
/// </summary>
public static class RandomLlamaModel
{
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    /// <summary>
    /// ChatML, as Qwen and many instruction models use it. llama.cpp recognises the template by its markers and
    /// applies its built-in ChatML formatting.
    /// </summary>
    public const string ChatTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    /// <summary>Writes the model to <paramref name="path"/>; the same seed and sizes give the same bytes.</summary>
    public static void Write(string path, int seed = 42, int embedding = 64, int layers = 2, int heads = 4, int feedForward = 128, int contextLength = 8192)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(embedding, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (embedding % heads != 0 || embedding / heads % 2 != 0)
        {
            throw new ArgumentException("The embedding size must split into heads of an even size.", nameof(heads));
        }

        var (tokens, scores, types) = Vocabulary();
        var vocabulary = tokens.Count;
        var random = new Random(seed);
        var gguf = new GgufWriter()
            .Add("general.architecture", "llama")
            .Add("general.name", "pipeline-random-llama")
            .Add("general.alignment", (uint)GgufWriter.Alignment)
            .Add("llama.context_length", (uint)contextLength)
            .Add("llama.embedding_length", (uint)embedding)
            .Add("llama.block_count", (uint)layers)
            .Add("llama.feed_forward_length", (uint)feedForward)
            .Add("llama.attention.head_count", (uint)heads)
            .Add("llama.attention.head_count_kv", (uint)heads)
            .Add("llama.rope.dimension_count", (uint)(embedding / heads))
            .Add("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .Add("llama.vocab_size", (uint)vocabulary)
            .Add("tokenizer.ggml.model", "llama")
            .Add("tokenizer.ggml.tokens", tokens)
            .Add("tokenizer.ggml.scores", scores)
            .Add("tokenizer.ggml.token_type", types)
            .Add("tokenizer.ggml.unknown_token_id", 0u)
            .Add("tokenizer.ggml.bos_token_id", 1u)
            .Add("tokenizer.ggml.eos_token_id", (uint)tokens.IndexOf(ImEnd))
            .Add("tokenizer.ggml.add_bos_token", true)
            .Add("tokenizer.ggml.add_eos_token", false)
            .Add("tokenizer.chat_template", ChatTemplate);

        gguf.AddTensor("token_embd.weight", [embedding, vocabulary], Normal(random, embedding * vocabulary, 0.5f));
        gguf.AddTensor("output_norm.weight", [embedding], Ones(embedding));
        gguf.AddTensor("output.weight", [embedding, vocabulary], Normal(random, embedding * vocabulary, 0.5f));
        for (var layer = 0; layer < layers; layer++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"blk.{layer}.");
            gguf.AddTensor(prefix + "attn_norm.weight", [embedding], Ones(embedding));
            foreach (var projection in new[] { "attn_q", "attn_k", "attn_v", "attn_output" })
            {
                gguf.AddTensor(prefix + projection + ".weight", [embedding, embedding], Normal(random, embedding * embedding, 0.1f));
            }

            gguf.AddTensor(prefix + "ffn_norm.weight", [embedding], Ones(embedding));
            gguf.AddTensor(prefix + "ffn_gate.weight", [embedding, feedForward], Normal(random, embedding * feedForward, 0.1f));
            gguf.AddTensor(prefix + "ffn_up.weight", [embedding, feedForward], Normal(random, embedding * feedForward, 0.1f));
            gguf.AddTensor(prefix + "ffn_down.weight", [feedForward, embedding], Normal(random, embedding * feedForward, 0.1f));
        }

        gguf.Write(path);
    }

    /// <summary>Control tokens, then one token per byte value (<c>&lt;0x41&gt;</c>): SentencePiece's byte fallback covers any UTF-8 text.</summary>
    static (List<string> Tokens, List<float> Scores, List<int> Types) Vocabulary()
    {
        const int Unknown = 2, Control = 3, Byte = 6;
        List<string> tokens = ["<unk>", "<s>", "</s>", ImStart, ImEnd];
        List<int> types = [Unknown, Control, Control, Control, Control];
        for (var b = 0; b < 256; b++)
        {
            tokens.Add(string.Create(CultureInfo.InvariantCulture, $"<0x{b:X2}>"));
            types.Add(Byte);
        }

        return (tokens, [.. tokens.Select(_ => 0f)], types);
    }

    static float[] Ones(int count) => Enumerable.Repeat(1f, count).ToArray();

    static float[] Normal(Random random, int count, float scale)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Box-Muller.
            var u = 1 - random.NextDouble();
            var v = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v)) * scale;
        }

        return values;
    }
}
