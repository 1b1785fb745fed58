using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integrations.Sdk.MailchimpMarketing.Tests.Simulator;

/// <summary>A webhook receiver on 127.0.0.1: answers GET and POST with 200 (404 under /broken) and records them.</summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Receiver(WebApplication app) => _app = app;

    public ConcurrentQueue<string> Gets { get; } = new();

    public ConcurrentQueue<(string Path, string? ContentType, Dictionary<string, string> Form)> Posts { get; } = new();

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.Run(async context =>
        {
            var path = context.Request.Path + context.Request.QueryString;
            if (context.Request.Path.StartsWithSegments("/broken"))
            {
                context.Response.StatusCode = 404;
                return;
            }

            if (HttpMethods.IsGet(context.Request.Method))
            {
                receiver.Gets.Enqueue(path);
            }
            else
            {
                var form = await context.Request.ReadFormAsync();
                receiver.Posts.Enqueue((path, context.Request.ContentType, form.ToDictionary(p => p.Key, p => p.Value.ToString())));
            }

            context.Response.StatusCode = 200;
        });
        await app.StartAsync();
        return receiver;
    }

    public string Url(string pathAndQuery) => _app.Urls.First().TrimEnd('/') + pathAndQuery;

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
