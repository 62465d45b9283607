using Pipeline.Messaging.Broker;

namespace Pipeline.Messaging.Tests;

public sealed class BrokerConnectionTests
{
    [Fact]
    public void One_uri_is_one_node_with_its_credentials_and_virtual_host()
    {
        var broker = BrokerConnection.Parse("amqp://pipeline:s%3Acret@rabbit.example:5673/prod");

        Assert.Equal([new BrokerNode("rabbit.example", 5673)], broker.Nodes);
        Assert.Equal("pipeline", broker.UserName);
        Assert.Equal("s:cret", broker.Password);
        Assert.Equal("prod", broker.VirtualHost);
        Assert.False(broker.Tls);
    }

    [Fact]
    public void A_comma_separated_list_is_one_node_per_uri_in_order_with_default_ports()
    {
        var broker = BrokerConnection.Parse("amqp://guest:guest@127.0.0.1:5680, amqp://guest:guest@127.0.0.1:5681,amqp://guest:guest@node3");

        Assert.Equal([new("127.0.0.1", 5680), new("127.0.0.1", 5681), new BrokerNode("node3", 5672)], broker.Nodes);
        Assert.Equal(["127.0.0.1:5680", "127.0.0.1:5681", "node3:5672"], broker.Endpoints.Select(e => $"{e.HostName}:{e.Port}"));
        Assert.Equal("/", broker.VirtualHost);
        Assert.Equal(new Uri("amqp://127.0.0.1:5680/"), broker.FirstNodeUri);
    }

    [Fact]
    public void Amqps_nodes_use_tls_and_its_default_port()
    {
        var broker = BrokerConnection.Parse("amqps://u:p@a.example,amqps://u:p@b.example");

        Assert.True(broker.Tls);
        Assert.All(broker.Endpoints, e => Assert.True(e.Ssl.Enabled));
        Assert.Equal([5671, 5671], broker.Nodes.Select(n => n.Port));
    }

    [Theory]
    [InlineData("", "is not set")]
    [InlineData("http://127.0.0.1:5672", "must be an amqp:// or amqps:// URI")]
    [InlineData("amqp://guest:guest@127.0.0.1:5680,127.0.0.1:5681", "node 2 of 2")]
    [InlineData("amqp://guest:guest@127.0.0.1:5680,amqp://other:guest@127.0.0.1:5681", "same scheme, user, password and virtual host")]
    [InlineData("amqp://guest:guest@127.0.0.1:5680/a,amqp://guest:guest@127.0.0.1:5681/b", "same scheme, user, password and virtual host")]
    [InlineData("amqp://guest:guest@127.0.0.1:5680,amqps://guest:guest@127.0.0.1:5681", "same scheme, user, password and virtual host")]
    [InlineData("amqp://guest:guest@127.0.0.1:5680,amqp://guest:guest@127.0.0.1:5680", "twice")]
    [InlineData("amqp://guest:guest@127.0.0.1:5680,", "node 2 of 2")]
    public void A_bad_connection_string_is_an_error_naming_the_key_and_what_is_wrong(string connectionString, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => BrokerConnection.Parse(connectionString));

        Assert.Contains("ConnectionStrings:rabbitmq", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_do_not_show_the_password()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            BrokerConnection.Parse("amqp://guest:topsecret@127.0.0.1:5680,amqp://guest:othersecret@127.0.0.1:5681"));

        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("othersecret", error.Message, StringComparison.Ordinal);
        Assert.Contains("amqp://guest:***@127.0.0.1:5681", error.Message, StringComparison.Ordinal);
    }
}
