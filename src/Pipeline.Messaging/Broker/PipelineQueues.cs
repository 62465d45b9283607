using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Messaging.Broker;

/// <summary>What a pipeline queue is for, which decides its arguments.</summary>
public enum PipelineQueueRole
{
    /// <summary>A consumer reads it (the indexer's, an enricher's): on quorum, a delivery limit that dead-letters into its _error queue.</summary>
    Consumer,

    /// <summary>Messages wait there for an operator (an _error queue, the indexing dead-letter queue): nobody consumes it.</summary>
    Parking,
}

/// <summary>
/// The arguments every pipeline queue is declared with, in one place: MassTransit's receive endpoints, its _error
/// queues, and the queues the services declare themselves (before their first send) all use these, because RabbitMQ
/// refuses a second declaration of a queue with other arguments (PRECONDITION_FAILED closes the channel).
/// </summary>
public static class PipelineQueues
{
    const string QueueType = "x-queue-type";
    const string DeliveryLimit = "x-delivery-limit";
    const string DeadLetterExchange = "x-dead-letter-exchange";
    const string DeadLetterRoutingKey = "x-dead-letter-routing-key";
    const string DeadLetterStrategy = "x-dead-letter-strategy";
    const string Overflow = "x-overflow";

    /// <summary>The arguments only a consumer queue has; MassTransit copies a queue's arguments to its _error queue, these are removed there.</summary>
    static readonly string[] ConsumerOnly = [DeliveryLimit, DeadLetterExchange, DeadLetterRoutingKey, DeadLetterStrategy, Overflow];

    public static IReadOnlyDictionary<string, object> Arguments(string queue, PipelineQueueRole role, MessagingOptions options)
    {
        if (options.QueueType == PipelineQueueType.Classic)
        {
            return new Dictionary<string, object>();
        }

        var arguments = new Dictionary<string, object> { [QueueType] = "quorum" };
        if (role == PipelineQueueRole.Consumer)
        {
            // A message handed out DeliveryLimit times without an acknowledgement (its consumer's process died each
            // time) goes to the queue's _error queue through the default exchange. At-least-once dead-lettering (3.10+)
            // keeps it in this queue until the _error queue has confirmed it; it needs overflow reject-publish, which
            // without a length limit never rejects anything.
            arguments[DeliveryLimit] = options.DeliveryLimit;
            arguments[DeadLetterExchange] = "";
            arguments[DeadLetterRoutingKey] = QueueNames.ErrorQueueOf(queue);
            arguments[DeadLetterStrategy] = "at-least-once";
            arguments[Overflow] = "reject-publish";
        }

        return arguments;
    }

    /// <summary>
    /// Where to send to a pipeline queue that another service (or this one's endpoint) declared: its exchange, since a
    /// <c>queue:</c> address would make MassTransit declare the queue again without its arguments, which the broker refuses
    /// for a quorum queue. Send with <see cref="Mandatory"/>, so that a queue that is missing fails the send instead of
    /// dropping the message.
    /// </summary>
    public static Uri SendAddress(string queue) => new($"exchange:{queue}");

    /// <summary>Makes the broker return (and MassTransit fail) a send that no queue is bound to receive.</summary>
    public static void Mandatory<T>(SendContext<T> context)
        where T : class
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
        {
            rabbit.Mandatory = true;
        }
    }

    /// <summary>Applies the consumer-queue arguments to a MassTransit receive endpoint (its own queue).</summary>
    public static void Configure(IRabbitMqReceiveEndpointConfigurator endpoint, string queue, MessagingOptions options)
    {
        var arguments = Arguments(queue, PipelineQueueRole.Consumer, options);
        if (arguments.ContainsKey(QueueType))
        {
            endpoint.SetQuorumQueue();
        }

        foreach (var (key, value) in arguments)
        {
            endpoint.SetQueueArgument(key, value);
        }
    }

    /// <summary>
    /// For MassTransit's _error (and _skipped) queues, which start as a copy of their consumer queue's arguments: the
    /// same queue type, without the delivery limit and the dead-lettering (an _error queue must not dead-letter into itself).
    /// </summary>
    public static void ConfigureParking(IRabbitMqQueueBindingConfigurator settings)
    {
        foreach (var key in ConsumerOnly)
        {
            settings.SetQueueArgument(key, null!);
        }
    }

    /// <summary>
    /// Declares the queue as MassTransit lays one out (a durable fanout exchange of the same name bound to it), so a send
    /// to <c>exchange:{queue}</c> reaches it without the sender redeclaring the queue. A consumer queue's _error queue is
    /// declared first, so that the delivery limit has somewhere to dead-letter to. A queue that exists with other
    /// arguments (a classic queue from before <c>Messaging:QueueType=quorum</c>) is a <see cref="QueueTypeMismatchException"/>.
    /// </summary>
    public static async Task DeclareAsync(IConnection connection, string queue, PipelineQueueRole role, MessagingOptions options, CancellationToken cancellationToken)
    {
        if (role == PipelineQueueRole.Consumer)
        {
            await DeclareOneAsync(connection, QueueNames.ErrorQueueOf(queue), PipelineQueueRole.Parking, options, cancellationToken);
        }

        await DeclareOneAsync(connection, queue, role, options, cancellationToken);
    }

    static async Task DeclareOneAsync(IConnection connection, string queue, PipelineQueueRole role, MessagingOptions options, CancellationToken cancellationToken)
    {
        // A refused declaration closes its channel: one channel per queue.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(
                queue, durable: true, exclusive: false, autoDelete: false,
                Arguments(queue, role, options).ToDictionary(a => a.Key, a => (object?)a.Value), cancellationToken: cancellationToken);
            await channel.QueueBindAsync(queue, queue, "", cancellationToken: cancellationToken);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 406)
        {
            throw new QueueTypeMismatchException(queue, await ExistingTypeAsync(connection, queue, options, cancellationToken), options, e.ShutdownReason.ReplyText, e);
        }
    }

    /// <summary>
    /// The type of a queue the broker refused to redeclare, when that is the difference. The broker names only the first
    /// argument that differs (for a classic queue redeclared as quorum, a dead-lettering argument), so the type alone is
    /// declared once more: refused, the queue has the other type.
    /// </summary>
    static async Task<PipelineQueueType?> ExistingTypeAsync(IConnection connection, string queue, MessagingOptions options, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var typeOnly = options.QueueType == PipelineQueueType.Quorum ? new Dictionary<string, object?> { [QueueType] = "quorum" } : null;
        try
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, typeOnly, cancellationToken: cancellationToken);
            return null;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyText.Contains(QueueType, StringComparison.Ordinal) == true)
        {
            return options.QueueType == PipelineQueueType.Quorum ? PipelineQueueType.Classic : PipelineQueueType.Quorum;
        }
        catch (OperationInterruptedException)
        {
            return null;
        }
    }
}

/// <summary>The broker holds a pipeline queue with other arguments than this configuration declares (usually its type).</summary>
public sealed class QueueTypeMismatchException(string queue, PipelineQueueType? existingType, MessagingOptions options, string brokerReply, Exception inner)
    : InvalidOperationException(
        (existingType is { } existing
            ? $"The broker already has the queue '{queue}' as a {Name(existing)} queue, but Messaging:QueueType={Name(options.QueueType)}"
            : $"The broker already has the queue '{queue}' with other arguments than this service declares " +
              $"(Messaging:QueueType={Name(options.QueueType)}, Messaging:DeliveryLimit={options.DeliveryLimit})") +
        $"; the broker says: {brokerReply}. " +
        "RabbitMQ cannot change a queue's type or arguments in place. Either set Messaging:QueueType (and Messaging:DeliveryLimit) to what " +
        "the queue has (classic for a deployment from before quorum queues), or move the queue over: stop the services, move its " +
        $"messages out, delete '{queue}' and start again (docs/reliability.md, \"Quorum queues\").",
        inner)
{
    public string Queue { get; } = queue;

    /// <summary>The queue's type on the broker, when that is what differs; null when other arguments differ.</summary>
    public PipelineQueueType? ExistingType { get; } = existingType;

    static string Name(PipelineQueueType type) => type.ToString().ToLowerInvariant();
}
