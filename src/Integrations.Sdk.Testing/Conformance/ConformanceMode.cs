namespace Integrations.Sdk.Testing.Conformance;

/// <summary>What a recorder does with the exchanges it sees (<see cref="ConformanceRecorder"/>, <see cref="SimulatorHost.Conformance"/>).</summary>
public enum ConformanceMode
{
    /// <summary>Checks every exchange and fails when disposed (a <see cref="ConformanceException"/>) if any broke the platform's spec: the test that made it fails.</summary>
    Enforce = 0,

    /// <summary>Checks every exchange and keeps the violations for the test to assert on; disposing does not fail. For a test that sends a bad request on purpose.</summary>
    Record = 1,

    /// <summary>Checks nothing and copies nothing.</summary>
    Off = 2,
}
