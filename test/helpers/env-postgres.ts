process.env.FW_TEST_DB = 'postgres';
process.env.NODE_ENV = 'test';
process.env.SCHEDULER_ENABLED = 'false';
