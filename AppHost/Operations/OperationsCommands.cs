using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.AppHost.Broker;
using Pipeline.AppHost.Security;
using Pipeline.Messaging;
using Pipeline.ServiceDefaults.Security;

namespace Pipeline.AppHost.Operations;

/// <summary>
/// The dashboard commands on the resources (the "..." menu of a resource, or <see cref="ResourceCommandService"/>).
/// Destructive ones ask for confirmation first. Each calls the operation where it lives: ingestion's and indexing's
/// /admin endpoints, or the broker (error-queue replay).
/// </summary>
static class OperationsCommands
{
    public const string ReplayErrors = "replay-errors";
    public const string PauseIngestion = "pause-ingestion";
    public const string ResumeIngestion = "resume-ingestion";
    public const string RerunEnricher = "rerun-enricher";
    public const string RebuildIndex = "rebuild-index";
    public const string ReplayDeadLetters = "replay-dead-letters";

    /// <summary>"Replay error queue": moves the messages of <c>{queue}_error</c> back to <c>{queue}</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithErrorQueueReplay(this IResourceBuilder<ProjectResource> project, BrokerChoice broker, string queue) =>
        project.WithCommand(
            ReplayErrors,
            "Replay error queue",
            async context =>
            {
                var uri = await broker.ConnectionString.Resource.GetConnectionStringAsync(context.CancellationToken);
                if (string.IsNullOrWhiteSpace(uri))
                {
                    return CommandResults.Failure("The broker's connection string is not known yet.");
                }

                int moved;
                try
                {
                    moved = await ErrorQueueReplay.ReplayAsync(uri, queue, context.CancellationToken);
                }
                catch (InvalidOperationException e)
                {
                    return CommandResults.Failure(e.Message);
                }

                context.Logger.LogWarning("Replayed {Count} messages from {ErrorQueue} to {Queue}", moved, QueueNames.ErrorQueueOf(queue), queue);
                return CommandResults.Success($"{moved} messages moved from {QueueNames.ErrorQueueOf(queue)} back to {queue}.");
            },
            new CommandOptions
            {
                Description = $"Move every message of {QueueNames.ErrorQueueOf(queue)} back to {queue}, to be processed again (after fixing what made them fail).",
                ConfirmationMessage = $"Move all messages from {QueueNames.ErrorQueueOf(queue)} back to {queue}? They will be processed again.",
                IconName = "ArrowRepeatAll",
            });

    /// <summary>"Pause ingestion" (confirmed) and "Resume ingestion".</summary>
    public static IResourceBuilder<ProjectResource> WithIngestionControl(this IResourceBuilder<ProjectResource> ingestion) =>
        ingestion
            .WithHttpCommand("/admin/ingestion/pause", "Pause ingestion", endpointName: "http", commandName: PauseIngestion, commandOptions: new HttpCommandOptions
            {
                Method = HttpMethod.Post,
                PrepareRequest = context => AuthExtensions.AddAdminKey(context, ingestion.Resource),
                Description = "Refuse new articles with 503 + Retry-After until resumed; queued work continues.",
                ConfirmationMessage = "Pause ingestion? New articles are refused (503, clients retry) until you resume.",
                IconName = "Pause",
            })
            .WithHttpCommand("/admin/ingestion/resume", "Resume ingestion", endpointName: "http", commandName: ResumeIngestion, commandOptions: new HttpCommandOptions
            {
                Method = HttpMethod.Post,
                PrepareRequest = context => AuthExtensions.AddAdminKey(context, ingestion.Resource),
                Description = "Accept articles again.",
                IconName = "Play",
            });

    /// <summary>
    /// The indexing resource's own commands: "Rebuild search index" and "Replay dead letters" (both confirmed, both calling
    /// the indexing service's /admin endpoints).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithIndexRebuild(this IResourceBuilder<ProjectResource> indexing) =>
        indexing.WithHttpCommand("/admin/index/dead-letters/replay", "Replay dead letters", endpointName: "http", commandName: ReplayDeadLetters, commandOptions: new HttpCommandOptions
        {
            Method = HttpMethod.Post,
            PrepareRequest = context => AuthExtensions.AddAdminKey(context, indexing.Resource),
            Description = $"Send the original message of every dead letter in {QueueNames.IndexingDeadLetter} back to {QueueNames.Indexing} (after fixing what made the store refuse it).",
            ConfirmationMessage = $"Replay {QueueNames.IndexingDeadLetter}? Each refused message is indexed again; one refused again comes back as a new dead letter.",
            IconName = "ArrowRepeatAll",
            ResultMode = HttpCommandResultMode.Json,
        }).WithHttpCommand("/admin/index/rebuild", "Rebuild search index", endpointName: "http", commandName: RebuildIndex, commandOptions: new HttpCommandOptions
        {
            Method = HttpMethod.Post,
            PrepareRequest = context => AuthExtensions.AddAdminKey(context, indexing.Resource),
            Description = "Rewrite every indexed document from its stored source through the indexer's queue (applies new field declarations and mappings).",
            ConfirmationMessage = "Rebuild the search index? Every stored article is re-sent through the indexer; searches keep working meanwhile.",
            IconName = "ArrowSync",
            ResultMode = HttpCommandResultMode.Json,
        });

    /// <summary>
    /// "Re-run enricher" on an enricher's resource (confirmed, with optional filters): asks the indexing service to send
    /// the matching stored articles to this enricher's queue only.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEnricherRerun(this IResourceBuilder<ProjectResource> enricher, string enricherName, IResourceBuilder<ProjectResource> indexing) =>
        enricher.WithCommand(
            RerunEnricher,
            "Re-run enricher",
            async context =>
            {
                var query = new List<string>();
                foreach (var name in new[] { "source", "olderThan" })
                {
                    if (context.Arguments?.TryGetByName(name, out var input) == true && !string.IsNullOrWhiteSpace(input.Value))
                    {
                        query.Add($"{name}={Uri.EscapeDataString(input.Value)}");
                    }
                }

                if (context.Arguments?.TryGetByName("missing", out var missing) == true && bool.TryParse(missing.Value, out var onlyMissing) && onlyMissing)
                {
                    query.Add("missing=true");
                }

                var url = $"{indexing.GetEndpoint("http").Url}/admin/enrichers/{enricherName}/rerun{(query.Count > 0 ? "?" + string.Join('&', query) : "")}";
                using var http = context.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
                http.Timeout = Timeout.InfiniteTimeSpan;
                using var request = new HttpRequestMessage(HttpMethod.Post, url);
                if (AuthExtensions.AdminKeyOf(indexing.Resource) is { } adminKey)
                {
                    request.Headers.Add(ApiKeys.HeaderName, adminKey);
                }

                using var response = await http.SendAsync(request, context.CancellationToken);
                var body = await response.Content.ReadAsStringAsync(context.CancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return CommandResults.Failure($"Indexing answered {(int)response.StatusCode}: {body}");
                }

                var result = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(context.CancellationToken);
                return CommandResults.Success($"{result.GetProperty("articles").GetInt64()} articles sent to {QueueNames.Enricher(enricherName)}.", body, CommandResultFormat.Json);
            },
            new CommandOptions
            {
                Description = $"Send stored articles (all, or filtered) to {QueueNames.Enricher(enricherName)} only, e.g. after a prompt or model change.",
                ConfirmationMessage = $"Re-run '{enricherName}' over the stored articles matching the filters (empty filters: all of them)?",
                IconName = "ArrowClockwise",
                Arguments =
                [
                    new InteractionInput { Name = "source", Label = "Only this outlet", InputType = InputType.Text, Required = false },
                    new InteractionInput { Name = "olderThan", Label = "Only payloads older than version", InputType = InputType.Text, Required = false },
                    new InteractionInput { Name = "missing", Label = "Only articles without a current payload", InputType = InputType.Boolean, Required = false },
                ],
            });
}
