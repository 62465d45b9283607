using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline kb build --wikidata FILE --out DIR</c> compiles a Wikidata JSON dump into a KB the linker opens;
/// <c>kb synth</c> writes a synthetic dump; <c>kb stats</c> counts a KB's entities by type and source; <c>kb bench</c>
/// measures all of it at scale, with the entity-linking service.
/// </summary>
public static class KnowledgeBaseCommand
{
    public static Command Create(TextWriter output, TextWriter errors) =>
        new("kb", "Build, inspect and measure the entity-linking knowledge base.")
        {
            KnowledgeBaseBuildCommand.Create(output, errors),
            KnowledgeBaseSynthCommand.Create(output, errors),
            KnowledgeBaseStatsCommand.Create(output, errors),
            KnowledgeBaseBenchCommand.Create(output, errors),
        };
}
