/**
 * The two services an n8n in queue mode needs, from Debian's packages: Redis (the queue) and
 * PostgreSQL (executions and workflows). Each runs in the foreground as a child of this process,
 * on a free loopback port with a throwaway data folder, so proc.ts stops it with everything else
 * when the run ends, fails or is interrupted. Nothing is left running and nothing is kept.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pollUntil } from '../support/pollUntil';
import { freePort, portInUse, run, start, type Started } from '../real-n8n/processes';

export interface Service {
	port: number;
	stop(): Promise<void>;
}

export interface Postgres extends Service {
	database: string;
	user: string;
	password: string;
	/** Runs one SQL statement and returns its rows (psql's JSON aggregation). */
	query<T>(sql: string): Promise<T[]>;
}

function log(message: string): void {
	console.log(`[services] ${message}`);
}

/** The folder of PostgreSQL's server programs (initdb, postgres), newest major first. */
function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const majors = fs
		.readdirSync(root)
		.filter((name) => fs.existsSync(path.join(root, name, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? path.join(root, majors[0], 'bin') : undefined;
}

function hasCommand(file: string): boolean {
	return fs.existsSync(file);
}

/** apt-get install, with an update first only when the package list does not know the package. */
async function aptInstall(packages: string[]): Promise<void> {
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () =>
		run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
			env,
			timeoutMs: 10 * 60_000,
		});
	log(`apt-get install ${packages.join(' ')}`);
	let result = await install();
	if (result.code !== 0) {
		await run('apt-get', ['update', '-qq'], { env, timeoutMs: 5 * 60_000 });
		result = await install();
	}
	if (result.code !== 0) {
		throw new Error(`apt-get install ${packages.join(' ')} failed:\n${result.stderr.slice(-2000)}`);
	}
}

/** Installs Debian's redis-server and postgresql when they are missing. */
export async function ensureServicePackages(): Promise<void> {
	const missing: string[] = [];
	if (!hasCommand('/usr/bin/redis-server')) missing.push('redis-server');
	if (!postgresBinDir() || !hasCommand('/usr/bin/psql')) missing.push('postgresql');
	if (missing.length) await aptInstall(missing);
}

function stopper(proc: Started, what: string): () => Promise<void> {
	return async () => {
		await proc.stop(10_000);
		log(`${what} stopped`);
	};
}

export async function startRedis(workDir: string): Promise<Service> {
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(workDir, 'redis-'));
	const proc = start(
		'/usr/bin/redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
		],
		{ onLine: (line) => fs.appendFileSync(path.join(workDir, 'redis.log'), `${line}\n`) },
	);
	const exited = proc.exited.then((e) => `redis-server exited (code ${e.code}); see redis.log`);
	await pollUntil(async () => ((await portInUse(port)) ? true : undefined), {
		description: `Redis on port ${port}`,
		errorsMeanNotYet: true,
		timeoutMs: 30_000,
		abort: exited,
		intervalMs: 250,
	});
	log(`Redis on 127.0.0.1:${port}`);
	return { port, stop: stopper(proc, 'Redis') };
}

/**
 * PostgreSQL refuses to run as root, so when this runs as root the cluster belongs to the
 * `postgres` user Debian's package creates (or one made here), and initdb and postgres run
 * through `runuser`. runuser stays in this process group, so stopping the group stops postgres.
 */
async function asDatabaseUser(): Promise<{ prefix: string[]; user?: string }> {
	if (process.getuid?.() !== 0) return { prefix: [] };
	const user = 'postgres';
	const known = await run('id', ['-u', user], { timeoutMs: 10_000 });
	if (known.code !== 0) {
		const made = await run('useradd', ['--system', '--no-create-home', user], {
			timeoutMs: 30_000,
		});
		if (made.code !== 0) throw new Error(`useradd ${user} failed: ${made.stderr}`);
	}
	return { prefix: ['runuser', '-u', user, '--'], user };
}

export async function startPostgres(workDir: string): Promise<Postgres> {
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL server programs not found under /usr/lib/postgresql');
	const port = await freePort();
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-blocks-queue-pg-'));
	const dataDir = path.join(root, 'data');
	const password = 'n8n-queue-test';
	const account = { database: 'n8n', user: 'n8n', password };
	const { prefix, user } = await asDatabaseUser();
	if (user) {
		const chown = await run('chown', ['-R', `${user}:`, root], { timeoutMs: 10_000 });
		if (chown.code !== 0) throw new Error(`chown ${root} failed: ${chown.stderr}`);
	}
	const asUser = (file: string, args: string[]) =>
		prefix.length
			? { command: prefix[0], args: [...prefix.slice(1), file, ...args] }
			: { command: file, args };

	const pwFile = path.join(root, 'pw');
	fs.writeFileSync(pwFile, password);
	if (user) await run('chown', [`${user}:`, pwFile], { timeoutMs: 10_000 });
	const init = asUser(path.join(bin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		account.user,
		`--pwfile=${pwFile}`,
		'-A',
		'scram-sha-256',
		'-E',
		'UTF8',
		'--no-sync',
	]);
	const initResult = await run(init.command, init.args, { timeoutMs: 120_000 });
	if (initResult.code !== 0) throw new Error(`initdb failed:\n${initResult.stderr}`);

	const server = asUser(path.join(bin, 'postgres'), [
		'-D',
		dataDir,
		'-p',
		String(port),
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		`unix_socket_directories=${root}`,
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
	]);
	const logFile = path.join(workDir, 'postgres.log');
	const proc = start(server.command, server.args, {
		onLine: (line) => fs.appendFileSync(logFile, `${line}\n`),
	});
	const exited = proc.exited.then((e) => `postgres exited (code ${e.code}); see ${logFile}`);
	const env = { ...process.env, PGPASSWORD: password };
	const psql = (args: string[]) =>
		run(
			'psql',
			['-h', '127.0.0.1', '-p', String(port), '-U', account.user, '-v', 'ON_ERROR_STOP=1', ...args],
			{
				env,
				timeoutMs: 60_000,
			},
		);
	await pollUntil(
		async () =>
			(await psql(['-d', 'postgres', '-Atc', 'select 1'])).code === 0 ? true : undefined,
		{
			description: `PostgreSQL on port ${port}`,
			errorsMeanNotYet: true,
			timeoutMs: 60_000,
			intervalMs: 300,
			abort: exited,
		},
	);
	const created = await psql(['-d', 'postgres', '-c', `create database ${account.database}`]);
	if (created.code !== 0) throw new Error(`create database failed: ${created.stderr}`);
	log(`PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`);

	return {
		port,
		...account,
		async query<T>(sql: string): Promise<T[]> {
			const result = await psql([
				'-d',
				account.database,
				'-At',
				'-c',
				`select coalesce(json_agg(row_to_json(q)), '[]') from (${sql}) q`,
			]);
			if (result.code !== 0) throw new Error(`query failed: ${result.stderr}\n${sql}`);
			return JSON.parse(result.stdout.trim()) as T[];
		},
		async stop() {
			await stopper(proc, 'PostgreSQL')();
			fs.rmSync(root, { recursive: true, force: true });
		},
	};
}
