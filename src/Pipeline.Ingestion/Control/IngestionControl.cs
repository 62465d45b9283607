using System.Diagnostics.Metrics;
using Pipeline.ServiceDefaults.Security;

namespace Pipeline.Ingestion.Control;

/// <summary>
/// The operator's pause switch (dashboard command "Pause ingestion"). While paused, every submission (any POST, PUT or
/// PATCH outside /admin) is answered 503 with Retry-After, before anything is read or published: clients such as
/// <c>pipeline import</c> retry 503s, so nothing is lost, and the rest of the pipeline drains what is queued. The
/// state is in memory: a restarted ingestion service starts running. The feed poller polls nothing while paused.
/// </summary>
public sealed class IngestionPause
{
    volatile bool _paused;

    /// <summary>The gauge lives on a meter of the service's factory, so it goes away with the service.</summary>
    public IngestionPause(IMeterFactory meters) =>
        meters.Create("Pipeline.Ingestion.Control").CreateObservableGauge("pipeline.ingestion.paused", () => _paused ? 1 : 0, "{state}", "1 while an operator has paused ingestion.");

    public bool IsPaused => _paused;

    public DateTimeOffset? Since { get; private set; }

    public void Pause()
    {
        if (!_paused)
        {
            Since = DateTimeOffset.UtcNow;
            _paused = true;
        }
    }

    public void Resume()
    {
        _paused = false;
        Since = null;
    }
}

/// <summary>The pause switch's middleware and its admin endpoints.</summary>
public static class IngestionControl
{
    const int RetryAfterSeconds = 30;

    /// <summary>State of ingestion: <c>{"paused": bool, "since": time}</c>.</summary>
    public sealed record IngestionState(bool Paused, DateTimeOffset? Since);

    public static WebApplication MapIngestionControl(this WebApplication app)
    {
        var pause = app.Services.GetService<IngestionPause>() ?? new IngestionPause(app.Services.GetRequiredService<IMeterFactory>());
        app.Use(async (context, next) =>
        {
            if (pause.IsPaused && IsSubmission(context.Request))
            {
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem(
                    title: "Ingestion is paused",
                    detail: $"An operator paused ingestion at {pause.Since:u}; nothing was accepted. Retry later (Retry-After: {RetryAfterSeconds} s).",
                    statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        var admin = app.MapGroup("/admin/ingestion").WithTags("Operations").RequireAuthorization(ApiKeyRoles.Admin);
        admin.MapGet("/", () => TypedResults.Ok(new IngestionState(pause.IsPaused, pause.Since)))
            .WithName("GetIngestionState").WithSummary("Whether ingestion is paused.");
        admin.MapPost("/pause", (ILogger<IngestionPause> logger) =>
        {
            pause.Pause();
            logger.LogWarning("Ingestion paused by an operator: submissions get 503 until it is resumed");
            return TypedResults.Ok(new IngestionState(pause.IsPaused, pause.Since));
        }).WithName("PauseIngestion").WithSummary("Pause ingestion: submissions are answered 503 with Retry-After until resumed.");
        admin.MapPost("/resume", (ILogger<IngestionPause> logger) =>
        {
            pause.Resume();
            logger.LogWarning("Ingestion resumed by an operator");
            return TypedResults.Ok(new IngestionState(pause.IsPaused, pause.Since));
        }).WithName("ResumeIngestion").WithSummary("Resume ingestion.");
        return app;
    }

    static bool IsSubmission(HttpRequest request) =>
        (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method))
        && !request.Path.StartsWithSegments("/admin");
}
