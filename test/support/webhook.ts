/** A webhook receiver on loopback: keeps every JSON body POSTed to it and answers with `status`. */
import http from 'node:http';
import { freePort } from './ports.ts';

export type WebhookCapture = {
  /** A URL whose path looks like a chat webhook's secret, so tests can check it is never shown. */
  url: string;
  origin: string;
  calls: Array<Record<string, unknown>>;
  status: number;
  close(): Promise<void>;
};

export async function startWebhookCapture(secretPath = '/hooks/T0SECRET/B0SECRET'): Promise<WebhookCapture> {
  const port = await freePort();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      capture.calls.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(capture.status).end();
    });
  });
  const capture: WebhookCapture = {
    url: `http://127.0.0.1:${port}${secretPath}`,
    origin: `http://127.0.0.1:${port}`,
    calls: [],
    status: 204,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return capture;
}
