Console.WriteLine("ClosedWonOnboarding: being built (issue 15).");
