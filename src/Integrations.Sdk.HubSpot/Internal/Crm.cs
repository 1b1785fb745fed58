namespace Integrations.Sdk.HubSpot.Internal;

/// <summary><c>CollectionResponsePipelineNoPaging</c>: the answer of <c>GET /crm/v3/pipelines/deals</c>.</summary>
internal sealed record PipelineList(List<PipelineItem>? Results);

internal sealed record PipelineItem(string Id, string? Label, int? DisplayOrder, List<StageItem>? Stages, bool Archived);

/// <summary>A pipeline stage; HubSpot sends its <c>metadata</c> values as strings (<c>"true"</c>, <c>"1.0"</c>).</summary>
internal sealed record StageItem(string Id, string? Label, int? DisplayOrder, Dictionary<string, JsonElement>? Metadata, bool Archived);

/// <summary><c>CollectionResponseMultiAssociatedObjectWithLabelForwardPaging</c> (associations v4).</summary>
internal sealed record AssociationPage(List<AssociatedObject>? Results, PageLinks? Paging);

/// <summary>
/// An associated object: <c>toObjectId</c> is a string in the v4 spec and a number in HubSpot's examples, so it is
/// read either way.
/// </summary>
internal sealed record AssociatedObject(JsonElement ToObjectId, List<AssociationLabel>? AssociationTypes);

/// <summary><c>AssociationSpecWithLabel</c>; the unlabeled type comes with <c>label: null</c>.</summary>
internal sealed record AssociationLabel(string? Category, int TypeId, string? Label);

/// <summary><c>BatchReadInputSimplePublicObjectId</c>; the spec requires all three lists.</summary>
internal sealed record BatchReadRequest(IReadOnlyList<BatchReadId> Inputs, IReadOnlyList<string> Properties, IReadOnlyList<string> PropertiesWithHistory);

internal sealed record BatchReadId(string Id);

/// <summary>An owner (<c>GET /crm/v3/owners/{ownerId}</c>).</summary>
internal sealed record OwnerItem(string? Id, string? FirstName, string? LastName, string? Email);
