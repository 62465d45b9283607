using Pipeline.Cli;

return await PipelineCommand.Create(Console.Out, Console.Error).Parse(args).InvokeAsync();
