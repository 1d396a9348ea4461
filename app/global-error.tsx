"use client";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui", padding: 40 }}>
        <h1>Cloudport hit an error</h1>
        <p>{error.digest ? `Reference ${error.digest}; the server log has the details.` : "The server log has the details."}</p>
        <button onClick={reset}>Try again</button>
      </body>
    </html>
  );
}
