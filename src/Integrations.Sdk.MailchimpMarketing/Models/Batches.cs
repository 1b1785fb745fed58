namespace Integrations.Sdk.MailchimpMarketing.Models;

/// <summary>
/// One operation of a batch request (<c>POST /batches</c>): an API call Mailchimp runs in the background. Build member
/// writes with <see cref="UpsertMember"/> and <see cref="UpdateTags"/>, or any call with the constructor.
/// </summary>
/// <param name="Method">The HTTP method: <c>GET</c>, <c>POST</c>, <c>PUT</c>, <c>PATCH</c> or <c>DELETE</c>.</param>
/// <param name="Path">The path relative to <c>/3.0</c>, for example <c>/lists/abc123/members/{hash}</c>.</param>
/// <param name="Body">The request's JSON body, as text (Mailchimp takes it as a string); <see langword="null"/> for none.</param>
/// <param name="OperationId">Your id for the operation, returned with its result (<c>operation_id</c>); optional but recommended.</param>
/// <param name="Params">Query parameters (for a GET); optional.</param>
public sealed record MailchimpBatchOperation(string Method, string Path, string? Body = null, string? OperationId = null, IReadOnlyDictionary<string, string>? Params = null)
{
    /// <summary>A member upsert (<c>PUT /lists/{list_id}/members/{subscriber_hash}</c>) as a batch operation, with the same body as <see cref="MailchimpMarketingConnector.UpsertMember"/>.</summary>
    /// <param name="member">The member.</param>
    /// <param name="operationId">Your id for the operation; <see langword="null"/> uses the subscriber hash.</param>
    /// <exception cref="ArgumentException">The member is not valid (the message names the field).</exception>
    public static MailchimpBatchOperation UpsertMember(MemberUpsert member, string? operationId = null)
    {
        ArgumentNullException.ThrowIfNull(member);
        MailchimpMarketingConnector.ValidateMember(member);
        var hash = MailchimpMarketingConnector.SubscriberHash(member.Email);
        var body = JsonSerializer.Serialize(MailchimpMarketingConnector.WireOf(member), PlatformJson.SnakeCase);
        return new MailchimpBatchOperation("PUT", $"/lists/{Uri.EscapeDataString(member.ListId.Trim())}/members/{hash}", body, operationId ?? hash);
    }

    /// <summary>A tag update (<c>POST /lists/{list_id}/members/{subscriber_hash}/tags</c>) as a batch operation, with the same body as <see cref="MailchimpMarketingConnector.UpdateTags"/>.</summary>
    /// <param name="tags">The tags.</param>
    /// <param name="operationId">Your id for the operation; <see langword="null"/> uses <c>tags:</c> and the subscriber hash.</param>
    /// <exception cref="ArgumentException">The update is not valid (the message names the field).</exception>
    public static MailchimpBatchOperation UpdateTags(MemberTagsUpdate tags, string? operationId = null)
    {
        ArgumentNullException.ThrowIfNull(tags);
        MailchimpMarketingConnector.ValidateTags(tags);
        var hash = MailchimpMarketingConnector.SubscriberHash(tags.Email);
        var body = JsonSerializer.Serialize(MailchimpMarketingConnector.WireOf(tags), PlatformJson.SnakeCase);
        return new MailchimpBatchOperation("POST", $"/lists/{Uri.EscapeDataString(tags.ListId.Trim())}/members/{hash}/tags", body, operationId ?? "tags:" + hash);
    }
}

/// <summary>A batch request as Mailchimp reports it (<c>POST /batches</c>, <c>GET /batches/{batch_id}</c>).</summary>
public sealed record MailchimpBatch
{
    /// <summary>The batch's id.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary>The status: <c>pending</c>, <c>preprocessing</c>, <c>started</c>, <c>finalizing</c> or <c>finished</c>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = string.Empty;

    /// <summary>The operations in the batch.</summary>
    [JsonPropertyName("total_operations")]
    public int TotalOperations { get; init; }

    /// <summary>The operations finished so far (successful or not).</summary>
    [JsonPropertyName("finished_operations")]
    public int FinishedOperations { get; init; }

    /// <summary>The operations that failed (an error status).</summary>
    [JsonPropertyName("errored_operations")]
    public int ErroredOperations { get; init; }

    /// <summary>When the batch was submitted.</summary>
    [JsonPropertyName("submitted_at")]
    [JsonConverter(typeof(OptionalTimestampConverter))]
    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>When every operation had finished; <see langword="null"/> before.</summary>
    [JsonPropertyName("completed_at")]
    [JsonConverter(typeof(OptionalTimestampConverter))]
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Where the results are (a gzipped tar archive of JSON files), once <see cref="IsFinished"/>; empty before.</summary>
    [JsonPropertyName("response_body_url")]
    public string? ResponseBodyUrl { get; init; }

    /// <summary>Whether the batch has finished (<see cref="Status"/> is <c>finished</c>).</summary>
    [JsonIgnore]
    public bool IsFinished => string.Equals(Status, "finished", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fields of the answer the model does not type.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extra { get; init; } = [];
}

/// <summary>The result of one batch operation, read from the results archive.</summary>
/// <param name="OperationId">The operation's <c>operation_id</c>, as given; <see langword="null"/> when none was.</param>
/// <param name="StatusCode">The HTTP status the operation got.</param>
/// <param name="Response">The operation's response body (JSON text), empty when none.</param>
public sealed record MailchimpBatchOperationResult(string? OperationId, int StatusCode, string Response)
{
    /// <summary>Whether the operation succeeded (a 2xx status).</summary>
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>
    /// For a failed operation, Mailchimp's problem details in one line (<c>title</c>: <c>detail</c>, then each
    /// <c>errors[].field</c>: <c>message</c>); <see langword="null"/> for a success.
    /// </summary>
    public string? Error => Succeeded ? null : MailchimpMarketingSignalReader.Describe(Response) ?? $"status {StatusCode}";
}

/// <summary>Reads Mailchimp's timestamps, where an empty string means none.</summary>
internal sealed class OptionalTimestampConverter : JsonConverter<DateTimeOffset?>
{
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } at)
        {
            writer.WriteStringValue(at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
