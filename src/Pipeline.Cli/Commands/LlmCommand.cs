using System.CommandLine;
using Pipeline.ClaimTagging.Llm.Local;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline llm random-model --out FILE.gguf</c>: writes the tiny random-weight Llama model the tests use, to try the
/// local-model path (<c>Provider=Local</c>) without downloading a model. It answers nonsense (within the grammar).
/// </summary>
public static class LlmCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var outFile = new Option<FileInfo>("--out") { Description = "Where to write the GGUF file.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed of the weights.", DefaultValueFactory = _ => 42 };
        var randomModel = new Command("random-model", "Write a tiny Llama model with random weights (GGUF, a few hundred KB) to try the local-model path.") { outFile, seed };
        randomModel.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetRequiredValue(outFile);
            if (file.Directory is { Exists: false })
            {
                await errors.WriteLineAsync($"error: the directory {file.Directory.FullName} does not exist.");
                return 2;
            }

            RandomLlamaModel.Write(file.FullName, parse.GetValue(seed));
            await output.WriteLineAsync($"Wrote {file.FullName} ({new FileInfo(file.FullName).Length / 1024} KB): a random-weight model; it runs, and says nothing meaningful.");
            await output.WriteLineAsync($"Try it: ./run --Llm:ModelPath={file.FullName}   or   ConnectionStrings__llm=\"Provider=Local;Model={file.FullName}\"");
            return 0;
        });
        return new Command("llm", "Local language models.") { randomModel };
    }
}
