using BatchEngine.Jobs.Cli;

return await BatchEngineCli.RunAsync(args, Console.Out, Console.Error, TimeProvider.System);
