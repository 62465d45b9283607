using Pipeline.EntityLinking;
using Pipeline.EntityLinking.KnowledgeBase;

if (args is [KnowledgeBaseIndexStep.Verb, .. var indexArgs])
{
    return KnowledgeBaseIndexStep.Run(indexArgs, Console.Out); // the build step, see the csproj
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddEntityLinking();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
return 0;
