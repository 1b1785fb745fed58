namespace Integrations.Sdk.HubSpot.Internal;

/// <summary><c>BatchInputSimplePublicObjectBatchInputUpsert</c>.</summary>
internal sealed record BatchUpsertRequest(IReadOnlyList<UpsertInput> Inputs);

internal sealed record UpsertInput(string IdProperty, string Id, IReadOnlyDictionary<string, string?> Properties);

/// <summary><c>BatchResponseSimplePublicUpsertObject</c> (200) or its <c>WithErrors</c> variant (207).</summary>
internal sealed record BatchResult<T>(string? Status, List<T>? Results, List<JsonElement>? Errors);

/// <summary><c>SimplePublicObjectInput</c>: the body of a PATCH.</summary>
internal sealed record PropertiesInput(IReadOnlyDictionary<string, string?> Properties);

/// <summary><c>SimplePublicObjectInputForCreate</c>: properties and associations.</summary>
internal sealed record CreateInput(IReadOnlyDictionary<string, string?> Properties, IReadOnlyList<AssociationInput> Associations);

internal sealed record AssociationInput(AssociationTarget To, IReadOnlyList<AssociationType> Types);

internal sealed record AssociationTarget(string Id);

internal sealed record AssociationType(string AssociationCategory, int AssociationTypeId);
